using System.Text;
using System.Text.Json;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Tools;

/// <summary>
/// The managed service's mapping debugger: sample messages through a device and a FHIR mapping, showing the
/// normalized measurements, the Observations and each message's error. Used by <c>mappings debug</c> and by the
/// <c>DebugMapping</c> direct method. Identities are derived as Create mode derives them, so ids match what the
/// module would write.
/// </summary>
internal static class MappingDebugger
{
    /// <summary>Writes <c>{"measurements":[…],"observations":[…],"errors":[{"message":i,"error":"…"}]}</c>; returns the errors.</summary>
    public static List<(int Message, string Error)> Run(DeviceMapping device, FhirMapping fhir, IReadOnlyList<string> bodies, string properties, string systemProperties, Utf8JsonWriter writer)
    {
        var measurements = new List<Measurement>();
        var errors = new List<(int Message, string Error)>();
        var references = new Dictionary<(string, string?), ResourceReferences>();
        MeasurementGrouping grouping = fhir.CreateGrouping();
        for (int i = 0; i < bodies.Count; i++)
        {
            int before = measurements.Count;
            string? error = Normalize(device, bodies[i], properties, systemProperties, measurements);
            for (int m = before; error is null && m < measurements.Count; m++)
            {
                Measurement measurement = measurements[m];
                error = string.IsNullOrWhiteSpace(measurement.PatientId)
                    ? "PatientIdentityNotDefined: the device mapping extracted no patient id."
                    : fhir.Check(measurement)?.Message;
                if (error is null)
                {
                    references[(measurement.DeviceId, measurement.PatientId)] = new ResourceReferences(
                        DeterministicId.ForPatient(measurement.PatientId!), DeterministicId.ForDevice(measurement.DeviceId));
                    grouping.Add(measurement);
                }
            }

            if (error is not null)
            {
                errors.Add((i, error));
            }
        }

        var observations = new List<FhirResource>();
        foreach (ObservationGroup group in grouping.Groups)
        {
            if (fhir.CreateObservation(group, references[(group.DeviceId, group.PatientId)], DateTime.UtcNow, out FhirResource? observation) is null)
            {
                observations.Add(observation!);
            }
        }

        writer.WriteStartObject();
        writer.WriteStartArray("measurements");
        foreach (Measurement measurement in measurements)
        {
            MeasurementJson.Write(writer, measurement);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("observations");
        foreach (FhirResource observation in observations)
        {
            writer.WriteRawValue(observation.Json);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("errors");
        foreach ((int message, string error) in errors)
        {
            writer.WriteStartObject();
            writer.WriteNumber("message", message);
            writer.WriteString("error", error);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return errors;
    }

    private static string? Normalize(DeviceMapping device, string body, string properties, string systemProperties, List<Measurement> output)
    {
        if (!DeviceEnvelope.TryCreate(Encoding.UTF8.GetBytes(body), properties, systemProperties, out DeviceEnvelope? envelope, out string? error))
        {
            return error;
        }

        using (envelope)
        {
            return device.Normalize(envelope!, null, output)?.Message;
        }
    }
}
