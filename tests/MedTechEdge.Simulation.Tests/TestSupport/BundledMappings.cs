using System.Text.Json;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Templates;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Simulation.Tests.TestSupport;

/// <summary>The module's sample mappings (modules/MedTechEdge/mappings, copied beside the tests) and the Map stage's steps over them.</summary>
internal static class BundledMappings
{
    private static readonly Lazy<DeviceMapping> s_device = new(() => LoadDevice(Read("devicecontent.json")));
    private static readonly Lazy<FhirMapping> s_fhir = new(() => LoadFhir(Read("fhirmapping.json")));
    private static readonly DateTime s_issued = new(2026, 11, 21, 18, 0, 0, DateTimeKind.Utc);

    public static DeviceMapping Device => s_device.Value;

    public static FhirMapping Fhir => s_fhir.Value;

    /// <summary>
    /// What the Map stage does with one device message: envelope, normalize, check each measurement against its FHIR
    /// template. Returns the first error (the message would be a dead letter), or null with the measurements.
    /// </summary>
    public static string? Normalize(byte[] json, List<Measurement> measurements)
    {
        if (!DeviceEnvelope.TryCreate(json, "{}", "{}", out DeviceEnvelope? envelope, out string? error))
        {
            return "envelope: " + error;
        }

        using (envelope)
        {
            error = Device.Normalize(envelope!, s_issued, measurements)?.Message;
        }

        if (error is not null)
        {
            return "normalize: " + error;
        }

        foreach (Measurement measurement in measurements)
        {
            if (Fhir.Check(measurement) is { } checkError)
            {
                return "check: " + checkError;
            }
        }

        return null;
    }

    /// <summary>Groups measurements as the Map stage does and writes one Observation per group.</summary>
    public static List<JsonElement> Observations(IEnumerable<Measurement> measurements)
    {
        MeasurementGrouping grouping = Fhir.CreateGrouping();
        foreach (Measurement measurement in measurements)
        {
            Assert.Null(grouping.Add(measurement));
        }

        var observations = new List<JsonElement>();
        foreach (ObservationGroup group in grouping.Groups)
        {
            Assert.Null(Fhir.CreateObservation(group, new ResourceReferences("pat", "dev"), s_issued, out FhirResource? observation));
            // Every simulated device's Observations are valid FHIR, by Firely's reading as well as ours.
            FhirResourceAssert.Valid(observation!.Json);
            observations.Add(JsonDocument.Parse(observation.Json).RootElement);
        }

        return observations;
    }

    private static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "mappings", name));

    private static DeviceMapping LoadDevice(string json)
    {
        Assert.True(DeviceMapping.TryLoad(json, out DeviceMapping? mapping, out IReadOnlyList<TemplateError> errors), string.Join("; ", errors));
        return mapping!;
    }

    private static FhirMapping LoadFhir(string json)
    {
        Assert.True(FhirMapping.TryLoad(json, out FhirMapping? mapping, out IReadOnlyList<TemplateError> errors), string.Join("; ", errors));
        return mapping!;
    }
}
