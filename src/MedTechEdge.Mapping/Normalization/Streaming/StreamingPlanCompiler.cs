using System.Text;
using MedTechEdge.Mapping.Expressions;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping.Normalization.Streaming;

/// <summary>
/// Decides at load whether a device mapping has the one shape a single forward reader pass can evaluate, and
/// compiles it into a <see cref="StreamingPlan"/>. The shape (what the bundled mapping's vitals and the benchmark's
/// <c>single-vital</c> and <c>five-vital</c> cases use):
/// <list type="bullet">
/// <item>every type match is the JSONPath <c>$..[?(@a)]</c> or <c>$..[?(@a &amp;&amp; @b …)]</c>, plain names only
/// (Json.NET's existence test: the member is there, whatever its value, medtech-semantics §2.5);</item>
/// <item>every other expression reads one member of the match: <c>$.matchedToken.x</c> or <c>$.Body.x</c> in a
/// CalculatedContent template, <c>$.x</c> in a JsonPathContent one.</item>
/// </list>
/// A template of another shape can still be part of a plan as a guard, when its type match is one of those scans or
/// starts with a member of the body (<c>$.Body.ecg[*]</c>, the bundled ECG template): it selects nothing while that
/// member is missing, so the plan answers those messages and declines the others. A plan needs at least one template
/// it evaluates. Anything else (JMESPath type matches, other filters, the Iot templates' fixed property paths) keeps
/// the mapping on the JSONPath engine alone.
/// </summary>
internal static class StreamingPlanCompiler
{
    private const string ScanPrefix = "$..[?(";
    private const string ScanSuffix = ")]";

    public static StreamingPlan? TryCompile(IReadOnlyList<DeviceTemplate> templates)
    {
        var names = new List<string>();
        var filterNames = new List<string>();
        var guardMembers = new List<string>();
        var headers = new List<StreamingHeader>();
        var compiled = new StreamingTemplate[templates.Count];
        int evaluated = 0;
        for (int t = 0; t < templates.Count; t++)
        {
            DeviceTemplate template = templates[t];
            if (TryParseScanFilter(template.TypeMatch, out List<string>? filter))
            {
                int[] filterSlots = new int[filter!.Count];
                for (int i = 0; i < filter.Count; i++)
                {
                    // A name of the envelope itself would make the envelope (the scan's start node) match.
                    if (IsEnvelopeMemberName(filter[i]))
                    {
                        return null;
                    }

                    filterSlots[i] = SlotOf(names, filter[i]);
                    if (!filterNames.Contains(filter[i]))
                    {
                        filterNames.Add(filter[i]);
                    }
                }

                StreamingHeader? header = TryCompileHeader(template, names, headers);
                StreamingValue[]? values = null;
                bool evaluable = header is not null && TryCompileValues(template, names, out values);
                compiled[t] = evaluable
                    ? new StreamingTemplate { TypeName = template.TypeName, FilterSlots = filterSlots, Header = header, Values = values! }
                    : new StreamingTemplate { TypeName = template.TypeName, FilterSlots = filterSlots };
                evaluated += evaluable ? 1 : 0;
            }
            else if (TryParseBodyMember(template.TypeMatch, out string? member))
            {
                guardMembers.Add(member!);
                compiled[t] = new StreamingTemplate { TypeName = template.TypeName, FilterSlots = [SlotOf(names, member!)] };
            }
            else
            {
                return null;
            }
        }

        if (evaluated == 0)
        {
            // Every message that matches anything would be declined: the pass would only add to the engine's cost.
            return null;
        }

        return new StreamingPlan(
            compiled,
            names.ConvertAll(n => Encoding.UTF8.GetBytes(n)).ToArray(),
            names.ConvertAll(guardMembers.Contains).ToArray(),
            filterNames.ConvertAll(n => Encoding.UTF8.GetBytes(n)).ToArray());
    }

    /// <summary>
    /// Recognizes a type match that starts with one member of the body, <c>$.Body.name</c> followed by nothing, a
    /// <c>.</c> or a <c>[</c>: whatever follows, it selects nothing when the body has no such member on its top level.
    /// </summary>
    private static bool TryParseBodyMember(ITemplateExpression expression, out string? member)
    {
        member = null;
        const string prefix = "$.Body.";
        string text = expression.Text;
        if (expression is not JsonPathTemplateExpression || !text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        int end = prefix.Length;
        while (end < text.Length && IsNameChar(text[end]))
        {
            end++;
        }

        if (!IsPlainName(text.AsSpan(prefix.Length, end - prefix.Length)) || (end < text.Length && text[end] is not ('.' or '[')))
        {
            return false;
        }

        member = text[prefix.Length..end];
        return true;
    }

    private static StreamingHeader? TryCompileHeader(DeviceTemplate template, List<string> names, List<StreamingHeader> headers)
    {
        bool relative = template.RelativeToMatch;
        StreamingField? deviceId = Field(template.DeviceId, "DeviceIdExpression", relative, names);
        if (deviceId is null)
        {
            return null;
        }

        var timestamps = new StreamingField[template.Timestamps.Length];
        var key = new StringBuilder(relative ? "relative\n" : "calculated\n").Append(template.DeviceId.Text);
        for (int i = 0; i < timestamps.Length; i++)
        {
            StreamingField? timestamp = Field(template.Timestamps[i], "TimestampExpression", relative, names);
            if (timestamp is null)
            {
                return null;
            }

            timestamps[i] = timestamp;
            key.Append('\n').Append(template.Timestamps[i].Text);
        }

        if (!TryOptional(template.CorrelationId, "CorrelationIdExpression", relative, names, key, out StreamingField? correlationId)
            || !TryOptional(template.PatientId, "PatientIdExpression", relative, names, key, out StreamingField? patientId)
            || !TryOptional(template.EncounterId, "EncounterIdExpression", relative, names, key, out StreamingField? encounterId))
        {
            return null;
        }

        string text = key.ToString();
        foreach (StreamingHeader existing in headers)
        {
            if (existing.Key == text)
            {
                return existing;
            }
        }

        var header = new StreamingHeader
        {
            DeviceId = deviceId,
            Timestamps = timestamps,
            CorrelationId = correlationId,
            PatientId = patientId,
            EncounterId = encounterId,
            Key = text,
        };
        headers.Add(header);
        return header;
    }

    private static bool TryOptional(ITemplateExpression? expression, string field, bool relative, List<string> names, StringBuilder key, out StreamingField? compiled)
    {
        // The key says which optional expressions exist, so "none" and "the same text elsewhere" never collide.
        key.Append('\n').Append(field).Append('=').Append(expression?.Text);
        compiled = expression is null ? null : Field(expression, field, relative, names);
        return expression is null || compiled is not null;
    }

    private static bool TryCompileValues(DeviceTemplate template, List<string> names, out StreamingValue[]? values)
    {
        values = new StreamingValue[template.Values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            ValueTemplate value = template.Values[i];
            StreamingField? field = Field(value.Expression, value.ValueName, template.RelativeToMatch, names);
            if (field is null)
            {
                values = null;
                return false;
            }

            values[i] = new StreamingValue { ValueName = value.ValueName, Required = value.Required, Field = field };
        }

        return true;
    }

    /// <summary>The expression as a slot of the match's top level, or null when it is anything else.</summary>
    private static StreamingField? Field(ITemplateExpression expression, string field, bool relative, List<string> names)
    {
        if (expression is not JsonPathTemplateExpression)
        {
            return null;
        }

        string text = expression.Text;
        ReadOnlySpan<char> member;
        if (relative)
        {
            // JsonPathContent: `$` is the match itself.
            member = text.StartsWith("$.", StringComparison.Ordinal) ? text.AsSpan(2) : default;
        }
        else if (text.StartsWith("$.matchedToken.", StringComparison.Ordinal))
        {
            member = text.AsSpan("$.matchedToken.".Length);
        }
        else if (text.StartsWith("$.Body.", StringComparison.Ordinal))
        {
            // The plan's only match is the body, so `$.Body.x` reads the same member as `$.matchedToken.x`.
            member = text.AsSpan("$.Body.".Length);
        }
        else
        {
            member = default;
        }

        return IsPlainName(member) ? new StreamingField(SlotOf(names, member.ToString()), field, text) : null;
    }

    /// <summary>Recognizes <c>$..[?(@a)]</c> and <c>$..[?(@a &amp;&amp; @b …)]</c>; the names in order.</summary>
    private static bool TryParseScanFilter(ITemplateExpression expression, out List<string>? names)
    {
        names = null;
        string text = expression.Text;
        if (expression is not JsonPathTemplateExpression
            || !text.StartsWith(ScanPrefix, StringComparison.Ordinal) || !text.EndsWith(ScanSuffix, StringComparison.Ordinal)
            || text.Length <= ScanPrefix.Length + ScanSuffix.Length)
        {
            return false;
        }

        ReadOnlySpan<char> rest = text.AsSpan(ScanPrefix.Length, text.Length - ScanPrefix.Length - ScanSuffix.Length);
        var found = new List<string>();
        while (true)
        {
            rest = rest.TrimStart(' ');
            if (rest.IsEmpty || rest[0] != '@')
            {
                return false;
            }

            int end = 1;
            while (end < rest.Length && IsNameChar(rest[end]))
            {
                end++;
            }

            if (!IsPlainName(rest[1..end]))
            {
                return false;
            }

            found.Add(rest[1..end].ToString());
            rest = rest[end..].TrimStart(' ');
            if (rest.IsEmpty)
            {
                break;
            }

            if (!rest.StartsWith("&&", StringComparison.Ordinal))
            {
                return false;
            }

            rest = rest[2..];
        }

        names = found;
        return true;
    }

    private static bool IsEnvelopeMemberName(string name) =>
        string.Equals(name, MappingNames.Body, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, MappingNames.Properties, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, MappingNames.SystemProperties, StringComparison.OrdinalIgnoreCase);

    // ASCII letters, digits and '_', not starting with a digit: spelled the same in JSONPath and in any JSON text.
    private static bool IsPlainName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!IsNameChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static int SlotOf(List<string> names, string name)
    {
        int index = names.IndexOf(name);
        if (index < 0)
        {
            names.Add(name);
            index = names.Count - 1;
        }

        return index;
    }
}
