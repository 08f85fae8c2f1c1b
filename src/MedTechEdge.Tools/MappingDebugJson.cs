using System.Text.Json;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Tools;

/// <summary>
/// The debugger's answer as JSON, the same for <c>mappings debug</c> and the <c>DebugMapping</c> direct method:
/// <c>{"resolutionType", "fhirUrl", "measurements": [measurement + "message" (+ "error")], "identities": […],
/// "observations": […], "errors": [{"message", "measurement"?, "kind", "error"}]}</c>.
/// </summary>
internal static class MappingDebugJson
{
    public static void Write(Utf8JsonWriter writer, MappingDebugRequest request, MappingDebugResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("resolutionType", request.ResolutionType.ToString());
        if (request.FhirUrl is { } url)
        {
            writer.WriteString("fhirUrl", url.ToString());
        }

        writer.WriteStartArray("measurements");
        foreach (DebugMeasurement measurement in result.Measurements)
        {
            writer.WriteStartObject();
            MeasurementJson.WriteMembers(writer, measurement.Measurement);
            writer.WriteNumber("message", measurement.Message);
            if (measurement.Failure is { } failure)
            {
                writer.WritePropertyName("error");
                WriteFailure(writer, failure);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("identities");
        foreach (DebugIdentity identity in result.Identities)
        {
            WriteIdentity(writer, identity);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("observations");
        foreach (FhirResource observation in result.Observations)
        {
            writer.WriteRawValue(observation.Json);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("errors");
        foreach (DebugFailure failure in result.Errors)
        {
            WriteFailure(writer, failure);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteIdentity(Utf8JsonWriter writer, DebugIdentity identity)
    {
        writer.WriteStartObject();
        writer.WriteString("deviceId", identity.DeviceId);
        WriteOptional(writer, "patientId", identity.PatientId);
        WriteOptional(writer, "encounterId", identity.EncounterId);
        writer.WriteString("source", identity.Source switch
        {
            DebugIdentitySource.Derived => "derived",
            DebugIdentitySource.Placeholder => "placeholder",
            _ => "server",
        });
        if (identity.References is { } references)
        {
            writer.WriteStartObject("references");
            writer.WriteString("patient", "Patient/" + references.PatientId);
            writer.WriteString("device", "Device/" + references.DeviceId);
            if (references.EncounterId is { } encounter)
            {
                writer.WriteString("encounter", "Encounter/" + encounter);
            }

            writer.WriteEndObject();
        }

        writer.WriteStartArray("requests");
        foreach (string request in identity.Requests)
        {
            writer.WriteStringValue(request);
        }

        writer.WriteEndArray();
        if (identity.Failure is { } failure)
        {
            writer.WritePropertyName("error");
            WriteFailure(writer, failure);
        }

        writer.WriteEndObject();
    }

    private static void WriteFailure(Utf8JsonWriter writer, DebugFailure failure)
    {
        writer.WriteStartObject();
        writer.WriteNumber("message", failure.Message);
        if (failure.Measurement is int measurement)
        {
            writer.WriteNumber("measurement", measurement);
        }

        writer.WriteString("kind", failure.KindName);
        writer.WriteString("error", failure.Error);
        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
