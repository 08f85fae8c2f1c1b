using MedTechEdge.Mapping.Expressions;
using System.Text.Json;

namespace MedTechEdge.Mapping.Templates;

/// <summary>Collects load errors with their locations; a mapping with any error is rejected whole.</summary>
internal sealed class TemplateContext(JsonLocationIndex locations)
{
    public List<TemplateError> Errors { get; } = [];

    /// <summary>
    /// Every expression compiled so far, by language and text: templates that write the same expression share one
    /// compiled instance, which lets a message's projection reuse what another template already extracted.
    /// </summary>
    public Dictionary<(ExpressionLanguage Language, string Text), ITemplateExpression> Expressions { get; } = [];

    public bool HasErrors
    {
        get
        {
            foreach (TemplateError e in Errors)
            {
                if (!e.IsWarning)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Line and position of <paramref name="pointer"/>, for warnings raised after loading.</summary>
    public (int Line, int Position) Locate(string pointer) => locations.Find(pointer);

    public void Error(string pointer, string message)
    {
        (int line, int position) = locations.Find(pointer);
        Errors.Add(new TemplateError(message, line, position));
    }

    public void Warning(string pointer, string message)
    {
        (int line, int position) = locations.Find(pointer);
        Errors.Add(new TemplateError(message, line, position, IsWarning: true));
    }

    /// <summary>Reports members not in <paramref name="known"/> (matched case-insensitively, as Json.NET does).</summary>
    public void RejectUnknownMembers(JsonElement obj, string pointer, string typeName, params string[] known)
    {
        foreach (JsonProperty member in obj.EnumerateObject())
        {
            if (Array.FindIndex(known, k => string.Equals(k, member.Name, StringComparison.OrdinalIgnoreCase)) < 0)
            {
                Error(pointer + "/" + member.Name, $"Could not find member '{member.Name}' on object of type {typeName}.");
            }
        }
    }

    /// <summary>Finds a member by name, case-insensitively (template member names are case-insensitive, §3.1).</summary>
    public static bool TryGetMember(JsonElement obj, string name, out JsonElement value, out string actualName)
    {
        foreach (JsonProperty member in obj.EnumerateObject())
        {
            if (string.Equals(member.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = member.Value;
                actualName = member.Name;
                return true;
            }
        }

        value = default;
        actualName = name;
        return false;
    }

    /// <summary>Reads a required string member, reporting it when missing or not a string.</summary>
    public string? RequiredString(JsonElement obj, string pointer, string name)
    {
        if (!TryGetMember(obj, name, out JsonElement value, out string actual))
        {
            Error(pointer, $"Required property '{name}' not found.");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            Error(pointer + "/" + actual, $"Property '{name}' must be a non-empty string.");
            return null;
        }

        return value.GetString();
    }

    /// <summary>Reads a boolean that may also be written as the strings "true"/"false" (§3.1).</summary>
    public bool OptionalBoolean(JsonElement obj, string pointer, string name, bool defaultValue)
    {
        if (!TryGetMember(obj, name, out JsonElement value, out string actual))
        {
            return defaultValue;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String when bool.TryParse(value.GetString(), out bool parsed):
                return parsed;
            default:
                Error(pointer + "/" + actual, $"Property '{name}' must be true or false.");
                return defaultValue;
        }
    }
}
