using System.Buffers;
using System.Globalization;
using System.Text.Json;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// Writes a new Observation as the managed service creates it (medtech-compat §7.2), straight to UTF-8
/// JSON: no FHIR object model in between.
/// </summary>
internal static class ObservationWriter
{
    // FHIR R4 Observation.effectivePeriod uses .NET round-trip format with 7 fractional digits, as the service writes it.
    private const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private const string IdSegmentFormat = "yyyyMMddHHmmss'Z'";

    /// <summary>
    /// A point-in-time Observation for one measurement (every value type but SampledData). Returns null
    /// with the error when a value cannot be represented.
    /// </summary>
    public static FhirResource? WritePointInTime(CodeValueFhirTemplate template, Measurement measurement, ResourceReferences references, DateTime issuedUtc, out string? error)
    {
        DateTime at = DateTime.SpecifyKind(measurement.OccurrenceTimeUtc, DateTimeKind.Utc);
        // Single: the id segment has second precision, start and end being the same instant (§6.2).
        string segment = at.ToString(IdSegmentFormat, CultureInfo.InvariantCulture);
        string identifierValue = string.Concat(references.PatientId, ".", references.DeviceId, ".", template.TypeName, ".", segment, ".", segment);
        string id = DeterministicId.For(MappingNames.ServiceSystem + "_" + identifierValue);

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType"u8, "Observation"u8);
            writer.WriteString("id"u8, id);
            writer.WriteStartArray("identifier"u8);
            writer.WriteStartObject();
            writer.WriteString("system"u8, MappingNames.ServiceSystem);
            writer.WriteString("value"u8, identifierValue);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteString("status"u8, "final"u8);
            if (template.Category.Count > 0)
            {
                writer.WriteStartArray("category"u8);
                foreach (FhirConcept concept in template.Category)
                {
                    WriteConcept(writer, concept.Text, concept.Codes, extraCode: null);
                }

                writer.WriteEndArray();
            }

            writer.WritePropertyName("code"u8);
            WriteConcept(writer, template.TypeName, template.Codes, template.TypeName);
            WriteReference(writer, "subject"u8, "Patient/", references.PatientId);
            if (references.EncounterId is not null)
            {
                WriteReference(writer, "encounter"u8, "Encounter/", references.EncounterId);
            }

            writer.WriteStartObject("effectivePeriod"u8);
            writer.WriteString("start"u8, at.ToString(InstantFormat, CultureInfo.InvariantCulture));
            writer.WriteString("end"u8, at.ToString(InstantFormat, CultureInfo.InvariantCulture));
            writer.WriteEndObject();
            writer.WriteString("issued"u8, DateTime.SpecifyKind(issuedUtc, DateTimeKind.Utc).ToString(InstantFormat, CultureInfo.InvariantCulture));
            WriteReference(writer, "device"u8, "Device/", references.DeviceId);

            if (template.Value is not null && Find(measurement, template.Value.ValueName) is string value
                && !WriteValue(writer, template.Value, value, out error))
            {
                return null;
            }

            bool componentsOpen = false;
            foreach (FhirComponentTemplate component in template.Components)
            {
                if (Find(measurement, component.Value.ValueName) is not string componentValue)
                {
                    // Components without data are skipped (§7.2).
                    continue;
                }

                if (!componentsOpen)
                {
                    writer.WriteStartArray("component"u8);
                    componentsOpen = true;
                }

                writer.WriteStartObject();
                writer.WritePropertyName("code"u8);
                WriteConcept(writer, component.Value.ValueName, component.Codes, component.Value.ValueName);
                if (!WriteValue(writer, component.Value, componentValue, out error))
                {
                    return null;
                }

                writer.WriteEndObject();
            }

            if (componentsOpen)
            {
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        error = null;
        return new FhirResource("Observation", id, buffer.WrittenSpan.ToArray());
    }

    private static string? Find(Measurement measurement, string valueName)
    {
        if (valueName.Length == 0)
        {
            return null;
        }

        foreach (MeasurementProperty property in measurement.Properties)
        {
            if (string.Equals(property.Name, valueName, StringComparison.Ordinal))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static bool WriteValue(Utf8JsonWriter writer, FhirValueTemplate template, string value, out string? error)
    {
        error = null;
        switch (template.ValueType)
        {
            case FhirValueType.Quantity:
                // Invariant decimal parse: thousands separators and surrounding spaces allowed, exponents not (§7.2).
                if (!decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal number))
                {
                    error = $"Error encountered processing value: {value}. Quantity value '{template.ValueName}' is not a decimal.";
                    return false;
                }

                writer.WriteStartObject("valueQuantity"u8);
                writer.WriteNumber("value"u8, number);
                WriteOptional(writer, "unit"u8, template.Unit);
                WriteOptional(writer, "system"u8, template.System);
                WriteOptional(writer, "code"u8, template.Code);
                writer.WriteEndObject();
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

    private static void WriteConcept(Utf8JsonWriter writer, string? text, IReadOnlyList<FhirCode> codes, string? extraCode)
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

    private static void WriteReference(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string prefix, string id)
    {
        writer.WriteStartObject(name);
        writer.WriteString("reference"u8, string.Concat(prefix, id));
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
