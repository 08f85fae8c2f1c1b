using System.Text.Json;

namespace MedTechEdge.Mapping.Normalization.Streaming;

/// <summary>
/// A device mapping compiled for one forward <see cref="Utf8JsonReader"/> pass over the body (see
/// <see cref="StreamingPlanCompiler"/> for the shape): no document, no envelope, no JSONPath evaluation. It answers
/// a message only where its answer is provably the JSONPath engine's, and declines the rest, which then take the
/// engine's path. The argument, against <c>NetFilterStep</c>'s scan of the envelope (medtech-semantics §2.5):
/// <list type="bullet">
/// <item>the scan tests the envelope first, whose members (Body, Properties, SystemProperties) no filter name
/// equals (the compiler refuses those names);</item>
/// <item>it enters a property object only when its text may hold a filter name; then the plan declines;</item>
/// <item>inside the body, an object below the top level with a member named in a filter could match: the plan
/// declines; so the only node that can match is the body itself, when it is an object, which then is every
/// template's one match, and the first in document order;</item>
/// <item>a member a template reads that occurs twice on the top level makes it decline: which occurrence a lookup
/// sees is the parser's choice (System.Text.Json's last one, today), not something this plan restates;</item>
/// <item>a guard (a template the plan does not evaluate) that may match makes it decline: a guard on a body member
/// as soon as the member is read, a guard scan when all its members are on the top level.</item>
/// </list>
/// Malformed JSON also declines, so the engine gives the error it always gave.
/// </summary>
internal sealed class StreamingPlan
{
    private const int MaxStackSlots = 64;

    private readonly StreamingTemplate[] _templates;
    private readonly byte[][] _names;
    private readonly bool[] _isGuardMember;
    private readonly byte[][] _filterNames;

    // Per slot, a key of the name's length and its first and last bytes: most names of a body differ from a slot's
    // in one of them, so the lookup compares integers and only a key hit compares bytes.
    private readonly int[] _nameKeys;
    private readonly int[] _filterNameKeys;

    /// <param name="templates">The mapping's templates, in order.</param>
    /// <param name="names">The top-level members the plan reads, one slot each.</param>
    /// <param name="isGuardMember">Per slot: a guard on a body member; found, the message is declined.</param>
    /// <param name="filterNames">The filters' names, for the nested and property-object checks.</param>
    public StreamingPlan(StreamingTemplate[] templates, byte[][] names, bool[] isGuardMember, byte[][] filterNames)
    {
        _templates = templates;
        _names = names;
        _isGuardMember = isGuardMember;
        _filterNames = filterNames;
        _nameKeys = Array.ConvertAll(names, n => KeyOf(n));
        _filterNameKeys = Array.ConvertAll(filterNames, n => KeyOf(n));
    }

    /// <summary>
    /// Normalizes one message, or declines (false, nothing appended). When it answers, the measurements (or the
    /// error) are exactly what the engine would give for the same body and properties.
    /// </summary>
    public bool TryNormalize(ReadOnlySpan<byte> body, ReadOnlySpan<byte> properties, ReadOnlySpan<byte> systemProperties, DateTime? ingestionTimeUtc, List<Measurement> output, out MappingError? error)
    {
        error = null;
        if (_names.Length > MaxStackSlots || DeviceEnvelope.PropertyObjectMayContainAny(properties, _filterNames)
            || DeviceEnvelope.PropertyObjectMayContainAny(systemProperties, _filterNames))
        {
            return false;
        }

        Span<StreamingSlot> slots = stackalloc StreamingSlot[_names.Length];
        slots.Clear();
        if (!TryRead(body, slots, out bool bodyIsObject))
        {
            return false;
        }

        if (!bodyIsObject)
        {
            // A scalar, null (a blank body is left to the engine) or an array none of whose objects has a filter
            // member: no template matches.
            return true;
        }

        return Project(body, slots, ingestionTimeUtc, output, out error);
    }

    /// <summary>The one pass: every token read (so malformed JSON is caught), the plan's top-level members located.</summary>
    private bool TryRead(ReadOnlySpan<byte> body, Span<StreamingSlot> slots, out bool bodyIsObject)
    {
        bodyIsObject = false;
        if (IsBlank(body))
        {
            return false;
        }

        // The options JsonDocument.Parse uses (depth 64, no comments, no trailing commas): the same bodies are JSON.
        var reader = new Utf8JsonReader(body);
        try
        {
            reader.Read();
            bodyIsObject = reader.TokenType == JsonTokenType.StartObject;
            int pending = -1;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (bodyIsObject && reader.CurrentDepth == 1)
                    {
                        int slot = IndexOfName(ref reader, _names, _nameKeys);
                        if (slot >= 0)
                        {
                            if (slots[slot].Seen || _isGuardMember[slot])
                            {
                                return false;
                            }

                            slots[slot].Seen = true;
                            pending = slot;
                        }
                    }
                    else if (IsNestedFilterMember(ref reader))
                    {
                        return false;
                    }

                    continue;
                }

                if (pending >= 0)
                {
                    ref StreamingSlot found = ref slots[pending];
                    found.Type = reader.TokenType;
                    found.Start = (int)reader.TokenStartIndex;
                    found.Length = reader.ValueSpan.Length;
                    found.Escaped = reader.ValueIsEscaped;
                    pending = -1;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the engine's envelope refuses it with System.Text.Json's own message.
            return false;
        }

        return true;
    }

    private bool IsNestedFilterMember(ref Utf8JsonReader reader) => IndexOfName(ref reader, _filterNames, _filterNameKeys) >= 0;

    // The plan's names are plain ASCII: an unescaped name equals one only byte for byte; an escaped one is unescaped.
    private static int IndexOfName(ref Utf8JsonReader reader, byte[][] names, int[] keys)
    {
        if (reader.ValueIsEscaped)
        {
            for (int i = 0; i < names.Length; i++)
            {
                if (reader.ValueTextEquals(names[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        ReadOnlySpan<byte> name = reader.ValueSpan;
        int key = KeyOf(name);
        for (int i = 0; i < keys.Length; i++)
        {
            if (keys[i] == key && name.SequenceEqual(names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static int KeyOf(ReadOnlySpan<byte> name) =>
        name.IsEmpty ? 0 : (name.Length << 16) | (name[0] << 8) | name[^1];

    /// <summary>DeviceTemplate.Project for every template, over the body as the one match.</summary>
    private bool Project(ReadOnlySpan<byte> body, ReadOnlySpan<StreamingSlot> slots, DateTime? ingestionTimeUtc, List<Measurement> output, out MappingError? error)
    {
        error = null;
        int start = output.Count;
        StreamingHeader? extracted = null;
        HeaderCache.Header header = default;
        for (int t = 0; t < _templates.Length; t++)
        {
            StreamingTemplate template = _templates[t];
            if (!Matches(template, slots))
            {
                continue;
            }

            if (template.IsGuard)
            {
                output.RemoveRange(start, output.Count - start);
                return false;
            }

            string? failure;
            if (!ReferenceEquals(extracted, template.Header))
            {
                failure = ExtractHeader(body, slots, template.Header!, out header, out bool declined);
                if (declined || failure is not null)
                {
                    output.RemoveRange(start, output.Count - start);
                    error = failure is null ? null : new MappingError(MappingErrorKind.Normalization, template.TypeName, failure);
                    return !declined;
                }

                extracted = template.Header;
            }

            Measurement measurement = header.NewMeasurement(template.TypeName, ingestionTimeUtc);
            StreamingValue[] values = template.Values;
            for (int v = 0; v < values.Length; v++)
            {
                StreamingValue value = values[v];
                SlotConversion conversion = value.Required
                    ? RequiredText(body, slots, value.Field, out string? text, out failure)
                    : OptionalText(body, slots, value.Field, out text, out failure);
                if (conversion == SlotConversion.Decline || failure is not null)
                {
                    output.RemoveRange(start, output.Count - start);
                    error = failure is null ? null : new MappingError(MappingErrorKind.Normalization, template.TypeName, failure);
                    return conversion != SlotConversion.Decline;
                }

                // Not required: a missing or unconvertible value is left out, a blank string is kept (§3.8).
                if (text is not null)
                {
                    measurement.Properties.Add(new MeasurementProperty(value.ValueName, text));
                }
            }

            output.Add(measurement);
        }

        return true;
    }

    private static bool Matches(StreamingTemplate template, ReadOnlySpan<StreamingSlot> slots)
    {
        int[] filter = template.FilterSlots;
        for (int i = 0; i < filter.Length; i++)
        {
            if (!slots[filter[i]].Found)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>DeviceTemplate.ExtractHeader: device id, timestamp, correlation id, patient id, encounter id.</summary>
    private static string? ExtractHeader(ReadOnlySpan<byte> body, ReadOnlySpan<StreamingSlot> slots, StreamingHeader plan, out HeaderCache.Header header, out bool declined)
    {
        header = default;
        declined = true;
        if (RequiredText(body, slots, plan.DeviceId, out string? deviceId, out string? failure) == SlotConversion.Decline)
        {
            return null;
        }

        declined = false;
        if (failure is not null)
        {
            return failure;
        }

        failure = ExtractTimestamp(body, slots, plan.Timestamps, out DateTime occurrence);
        if (failure is not null)
        {
            return failure;
        }

        string? correlationId = null;
        if (plan.CorrelationId is not null)
        {
            declined = RequiredText(body, slots, plan.CorrelationId, out correlationId, out failure) == SlotConversion.Decline;
            if (declined || failure is not null)
            {
                return failure;
            }
        }

        string? patientId = null;
        string? encounterId = null;
        declined = (plan.PatientId is not null && OptionalText(body, slots, plan.PatientId, out patientId, out _) == SlotConversion.Decline)
            || (plan.EncounterId is not null && OptionalText(body, slots, plan.EncounterId, out encounterId, out _) == SlotConversion.Decline);
        if (!declined)
        {
            header = new HeaderCache.Header(deviceId!, occurrence, patientId, encounterId, correlationId);
        }

        return null;
    }

    private static string? ExtractTimestamp(ReadOnlySpan<byte> body, ReadOnlySpan<StreamingSlot> slots, StreamingField[] candidates, out DateTime occurrence)
    {
        occurrence = default;
        string? conversionError = null;
        for (int t = 0; t < candidates.Length; t++)
        {
            ref readonly StreamingSlot time = ref slots[candidates[t].Slot];
            if (!time.Found || time.Type == JsonTokenType.Null)
            {
                continue;
            }

            if (time.TryToUtc(body, out occurrence))
            {
                return null;
            }

            conversionError ??= candidates[t].TimestampUnconvertible;
        }

        return conversionError ?? candidates[0].TimestampMissing;
    }

    private static SlotConversion RequiredText(ReadOnlySpan<byte> body, ReadOnlySpan<StreamingSlot> slots, StreamingField field, out string? text, out string? failure)
    {
        text = null;
        ref readonly StreamingSlot slot = ref slots[field.Slot];
        if (!slot.Found)
        {
            failure = field.Missing;
            return SlotConversion.Converted;
        }

        SlotConversion conversion = slot.TryToText(body, out text);
        failure = conversion switch
        {
            SlotConversion.Unconvertible => field.Unconvertible,
            SlotConversion.Converted when string.IsNullOrWhiteSpace(text) => field.Blank,
            _ => null,
        };
        return conversion;
    }

    private static SlotConversion OptionalText(ReadOnlySpan<byte> body, ReadOnlySpan<StreamingSlot> slots, StreamingField field, out string? text, out string? failure)
    {
        text = null;
        failure = null;
        ref readonly StreamingSlot slot = ref slots[field.Slot];
        return slot.Found ? slot.TryToText(body, out text) : SlotConversion.Converted;
    }

    private static bool IsBlank(ReadOnlySpan<byte> body) => body.IndexOfAnyExcept(" \t\r\n"u8) < 0;
}
