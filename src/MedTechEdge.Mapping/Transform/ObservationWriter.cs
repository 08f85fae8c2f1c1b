using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// Writes a new Observation as the managed service creates it (medtech-semantics §5.2), straight to UTF-8
/// JSON: no FHIR object model in between.
/// </summary>
internal static class ObservationWriter
{
    /// <summary>What the Observation id hashes before the identifier value (medtech-semantics §5.2).</summary>
    public const string IdPrefix = MappingNames.ServiceSystem + "_";

    private const int IdHexLength = 64;

    private static readonly byte[] s_idPrefixUtf8 = Encoding.UTF8.GetBytes(IdPrefix);

    // Between the id's digits and the identifier value's.
    private static readonly byte[] s_identifierStart =
        [.. "\",\"identifier\":[{\"system\":\""u8, .. JsonEncodedText.Encode(MappingNames.ServiceSystem).EncodedUtf8Bytes, .. "\",\"value\":\""u8];

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    [ThreadStatic]
    private static Utf8JsonWriter? t_scratchWriter;

    [ThreadStatic]
    private static JsonAppender? t_json;

    [ThreadStatic]
    private static JsonAppender? t_quantity;

    /// <summary>
    /// A new Observation for <paramref name="group"/>. Returns null with the error when a value cannot
    /// be represented.
    /// </summary>
    /// <remarks>
    /// The Observation's shape is fixed, so it is appended as text: literal punctuation, the template's constant
    /// parts rendered once (<see cref="ObservationFragments"/>), and the data's strings escaped as
    /// <see cref="Utf8JsonWriter"/> would. One buffer per thread is reused; only the final bytes are copied out.
    /// </remarks>
    public static FhirResource? Write<TValues>(CodeValueFhirTemplate template, TValues group, ResourceReferences references, DateTime issuedUtc, out string? error)
        where TValues : IObservationValues
    {
        ObservationFragments fragments = ObservationFragments.For(template);
        JsonAppender json = t_json ??= new JsonAppender();
        json.Clear();

        // The id hashes the service system, "_" and the identifier value (§7.2), and comes before it in the text: its
        // 64 hex digits get a place, the identifier is written after them, hashed where it lies and the id filled in.
        // When the value is plain ASCII (FHIR ids, type names and the period always are) it is copied as it is hashed;
        // otherwise it goes the string way.
        json.Append("{\"resourceType\":\"Observation\",\"id\":\""u8);
        int idAt = json.Skip(IdHexLength);
        json.Append(s_identifierStart);
        int identifierAt = json.Length;
        string id;
        if (TryAppendPlainIdentifier(json, fragments, group, references))
        {
            id = DeterministicId.ForObservation(json.Slice(identifierAt, json.Length - identifierAt), json.Slice(idAt, IdHexLength));
        }
        else
        {
            json.Truncate(identifierAt);
            string identifierValue = IdentifierValue(template, group, references);
            json.AppendEscaped(identifierValue);
            id = DeterministicId.For(s_idPrefixUtf8, identifierValue);
            Encoding.ASCII.GetBytes(id, json.Slice(idAt, IdHexLength));
        }

        // Status, category and code are the template's, constant: rendered once, copied since.
        json.Append(fragments.AfterIdentifier);
        json.AppendEscaped(references.PatientId);
        if (references.EncounterId is not null)
        {
            json.Append("\"},\"encounter\":{\"reference\":\"Encounter/"u8);
            json.AppendEscaped(references.EncounterId);
        }

        json.Append("\"},\"effectivePeriod\":{\"start\":"u8);
        json.AppendInstant(group.Start);
        json.Append(",\"end\":"u8);
        json.AppendInstant(group.End);
        json.Append("},\"issued\":"u8);
        json.AppendInstant(issuedUtc);
        json.Append(",\"device\":{\"reference\":\"Device/"u8);
        json.AppendEscaped(references.DeviceId);
        json.Append("\"}"u8);

        // value[x] only when the template names a value and the group has data for it (§7.2). A
        // CodeableConcept without a valueName is always set (the managed service's docs; §7.2 REC).
        if (template.Value is { ValueType: FhirValueType.CodeableConcept, ValueName.Length: 0 })
        {
            AppendValue(json, template.Value, string.Empty, out _);
        }
        else if (template.Value is not null && TryGetData(group, template.Value, out SortedList<DateTime, ObservationGroup.TimedValue>? values, out string? latest)
            && !AppendValue(json, template.Value, group, values, latest, out error))
        {
            return null;
        }

        bool componentsOpen = false;
        for (int c = 0; c < template.Components.Count; c++)
        {
            FhirComponentTemplate component = template.Components[c];
            if (!TryGetData(group, component.Value, out SortedList<DateTime, ObservationGroup.TimedValue>? componentValues, out string? componentLatest))
            {
                // Components without data are skipped (§7.2).
                continue;
            }

            json.Append(componentsOpen ? ",{\"code\":"u8 : ",\"component\":[{\"code\":"u8);
            componentsOpen = true;
            json.Append(fragments.ComponentCodes[c]);
            if (!AppendValue(json, component.Value, group, componentValues, componentLatest, out error))
            {
                return null;
            }

            json.Append("}"u8);
        }

        json.Append(componentsOpen ? "]}"u8 : "}"u8);
        error = null;
        return new FhirResource("Observation", id, json.Written.ToArray());
    }

    /// <summary>
    /// Appends <see cref="IdentifierValue"/> in UTF-8 when every part is printable ASCII that JSON leaves unescaped; false
    /// otherwise (with some of it written: the caller truncates).
    /// </summary>
    private static bool TryAppendPlainIdentifier<TValues>(JsonAppender json, ObservationFragments fragments, TValues group, ResourceReferences references)
        where TValues : IObservationValues
    {
        if (fragments.TypeSegment is null || !json.TryAppendPlain(references.PatientId))
        {
            return false;
        }

        json.Append("."u8);
        if (!json.TryAppendPlain(references.DeviceId))
        {
            return false;
        }

        json.Append(fragments.TypeSegment);
        return group.TryAppendIdSegment(json);
    }

    /// <summary><c>{patientRid}.{deviceRid}.{typeName}.{segment}</c> (§7.2); the ids are FHIR logical ids.</summary>
    public static string IdentifierValue<TValues>(CodeValueFhirTemplate template, TValues group, ResourceReferences references)
        where TValues : IObservationValues =>
        string.Concat(references.PatientId, ".", references.DeviceId, ".", template.TypeName, ".", group.IdSegment);

    public static void WriteCategory(Utf8JsonWriter writer, CodeValueFhirTemplate template)
    {
        if (template.Category.Count == 0)
        {
            return;
        }

        writer.WritePropertyName("category"u8);
        WriteCategoryArray(writer, template);
    }

    public static void WriteCategoryArray(Utf8JsonWriter writer, CodeValueFhirTemplate template)
    {
        writer.WriteStartArray();
        foreach (FhirConcept concept in template.Category)
        {
            WriteConcept(writer, concept.Text, concept.Codes, extraCode: null);
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// FHIR instant as the managed service writes it: UTC with 7 fractional digits and <c>Z</c>, which is .NET's
    /// round-trip ("O") format for a UTC time.
    /// </summary>
    public static string Instant(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// The group's data for one value template: the whole series for SampledData, else only the latest value
    /// (point-in-time: readings of the same second share the Observation; the latest one is its value).
    /// </summary>
    private static bool TryGetData<TValues>(TValues group, FhirValueTemplate template, out SortedList<DateTime, ObservationGroup.TimedValue>? values, out string? latest)
        where TValues : IObservationValues
    {
        if (template.ValueType == FhirValueType.SampledData)
        {
            latest = null;
            return group.TryGetSeries(template.ValueName, out values);
        }

        values = null;
        return group.TryGetLatest(template.ValueName, out latest);
    }

    /// <summary>Appends <c>,"value[x]":…</c> for one value template from what <see cref="TryGetData"/> found.</summary>
    private static bool AppendValue<TValues>(JsonAppender json, FhirValueTemplate template, TValues group, SortedList<DateTime, ObservationGroup.TimedValue>? values, string? latest, out string? error)
        where TValues : IObservationValues
    {
        // The lambdas of the rarer paths live in their own methods: a closure over a parameter is allocated on entry to
        // the method that holds it, which would cost every Observation a closure it never uses.
        return template.ValueType != FhirValueType.SampledData
            ? AppendValue(json, template, latest!, out error)
            : AppendSampledData(json, template, group.Start, group.End, values, out error);
    }

    private static bool AppendSampledData(JsonAppender json, FhirValueTemplate template, DateTime start, DateTime end, SortedList<DateTime, ObservationGroup.TimedValue>? values, out string? error)
    {
        ArgumentNullException.ThrowIfNull(values);

        var times = new DateTime[values.Count];
        var texts = new string[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            times[i] = values.Keys[i];
            texts[i] = values.Values[i].Value;
            if (!SampledDataCodec.IsDecimal(texts[i]))
            {
                // The managed service copies raw strings and the server then rejects the Observation; reject the value here (§7.2 REC).
                error = $"Error encountered processing value: {texts[i]}. SampledData value '{template.ValueName}' is not a decimal.";
                return false;
            }
        }

        string data = SampledDataCodec.Encode(start, end, template.DefaultPeriod!.Value, times, texts);
        AppendMember(json, writer => WriteSampledData(writer, template, data));
        error = null;
        return true;
    }

    /// <summary>Appends <c>,"value[x]":…</c> for a point-in-time value.</summary>
    private static bool AppendValue(JsonAppender json, FhirValueTemplate template, string value, out string? error)
    {
        if (template.ValueType != FhirValueType.Quantity)
        {
            return AppendThroughWriter(json, template, value, out error);
        }

        json.Append(",\"valueQuantity\":"u8);
        return TryAppendQuantity(json, template, value, out error);
    }

    // Rarer value types go through the writer, so their text is exactly what the merger writes.
    private static bool AppendThroughWriter(JsonAppender json, FhirValueTemplate template, string value, out string? error)
    {
        string? failure = null;
        AppendMember(json, writer => WriteValue(writer, template, value, out failure));
        error = failure;
        return error is null;
    }

    /// <summary>
    /// The <c>valueQuantity</c> object: the value, then the template's unit, system and code, which are rendered once
    /// per template (<see cref="QuantityTail"/>) and copied. Both the writer and the merger use it, so they agree.
    /// </summary>
    private static bool TryAppendQuantity(JsonAppender json, FhirValueTemplate template, string value, out string? error)
    {
        json.Append("{\"value\":"u8);
        if (!json.TryAppendDecimal(value))
        {
            error = $"Error encountered processing value: {value}. Quantity value '{template.ValueName}' is not a decimal.";
            return false;
        }

        json.Append(template.QuantityTail ??= QuantityTail(template));
        error = null;
        return true;
    }

    /// <summary>Appends <c>,</c> and the members that <paramref name="write"/> writes, rendered inside a scratch object.</summary>
    private static void AppendMember(JsonAppender json, Action<Utf8JsonWriter> write)
    {
        ArrayBufferWriter<byte> scratch = t_scratch ??= new ArrayBufferWriter<byte>(1024);
        scratch.ResetWrittenCount();
        Utf8JsonWriter writer = t_scratchWriter ??= new Utf8JsonWriter(scratch);
        writer.Reset(scratch);
        writer.WriteStartObject();
        write(writer);
        writer.WriteEndObject();
        writer.Flush();
        ReadOnlySpan<byte> members = scratch.WrittenSpan[1..^1];
        if (!members.IsEmpty)
        {
            json.Append(","u8);
            json.Append(members);
        }
    }

    public static void WriteSampledData(Utf8JsonWriter writer, FhirValueTemplate template, string data)
    {
        writer.WriteStartObject("valueSampledData"u8);
        writer.WriteStartObject("origin"u8);
        writer.WriteNumber("value"u8, 0);
        WriteOptional(writer, "unit"u8, template.Unit);
        writer.WriteEndObject();
        writer.WriteNumber("period"u8, template.DefaultPeriod!.Value);
        writer.WriteNumber("dimensions"u8, 1);
        writer.WriteString("data"u8, data);
        writer.WriteEndObject();
    }

    public static bool WriteValue(Utf8JsonWriter writer, FhirValueTemplate template, string value, out string? error)
    {
        error = null;
        switch (template.ValueType)
        {
            case FhirValueType.Quantity:
                JsonAppender quantity = t_quantity ??= new JsonAppender();
                quantity.Clear();
                if (!TryAppendQuantity(quantity, template, value, out error))
                {
                    return false;
                }

                writer.WritePropertyName("valueQuantity"u8);
                writer.WriteRawValue(quantity.Written, skipInputValidation: true);
                return true;
            case FhirValueType.String:
                writer.WriteString("valueString"u8, value);
                return true;
            case FhirValueType.CodeableConcept:
                // The measured value only has to be present; the concept comes from the template (§7.2).
                writer.WritePropertyName("valueCodeableConcept"u8);
                WriteConcept(writer, template.Concept?.Text, template.Concept?.Codes ?? [], extraCode: null);
                return true;
            default:
                error = $"Value '{template.ValueName}' is SampledData, which needs a grouped Observation.";
                return false;
        }
    }

    /// <summary>What follows the number in <c>valueQuantity</c>: <c>,"unit":…,"system":…,"code":…}</c>, each only when set.</summary>
    private static byte[] QuantityTail(FhirValueTemplate template)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var members = new Utf8JsonWriter(buffer))
        {
            members.WriteStartObject();
            WriteOptional(members, "unit"u8, template.Unit);
            WriteOptional(members, "system"u8, template.System);
            WriteOptional(members, "code"u8, template.Code);
            members.WriteEndObject();
        }

        ReadOnlySpan<byte> written = buffer.WrittenSpan; // {…} or {}
        return written.Length == 2 ? [(byte)'}'] : [(byte)',', .. written[1..]];
    }

    public static void WriteConcept(Utf8JsonWriter writer, string? text, IReadOnlyList<FhirCode> codes, string? extraCode)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("coding"u8);
        foreach (FhirCode code in codes)
        {
            writer.WriteStartObject();
            WriteOptional(writer, "system"u8, code.System);
            WriteOptional(writer, "code"u8, code.Code);
            WriteOptional(writer, "display"u8, code.Display);
            writer.WriteEndObject();
        }

        if (extraCode is not null)
        {
            // The service's own coding follows the template codes (§7.2).
            writer.WriteStartObject();
            writer.WriteString("system"u8, MappingNames.ServiceSystem);
            writer.WriteString("code"u8, extraCode);
            writer.WriteString("display"u8, extraCode);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteOptional(writer, "text"u8, text);
        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }
}
