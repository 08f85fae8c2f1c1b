using System.Text.Json;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Pipeline.Identity;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Pipeline.Tests.Identity;

/// <summary>
/// Create mode (medtech-semantics §6): Patient and Device ids are derived from the business identifiers, so writers
/// that meet the same new device at the same time all write the same two resources, and the server ends up with
/// exactly one of each, however their writes interleave.
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class CreateModeConcurrencyTests(FhirPeerFixture peer)
{
    private static readonly FhirMapping s_mapping = FhirMapping.Load("""
        {"templateType":"CollectionFhir","template":[{"templateType":"CodeValueFhir","template":{
          "typeName":"hr","codes":[{"system":"http://loinc.org","code":"8867-4"}],
          "value":{"valueType":"Quantity","valueName":"hr","unit":"/min"}}}]}
        """);

    [Fact]
    public async Task Eight_Concurrent_Writers_Create_Exactly_One_Patient_And_One_Device()
    {
        string suffix = Guid.NewGuid().ToString("N")[..12];
        string deviceIdentifier = "device-" + suffix;
        string patientIdentifier = "patient-" + suffix;
        using var http = new HttpClient();

        // Eight independent writers (lanes, or module instances), each meeting the pair for the first time.
        Task<SinkResult>[] writers = new Task<SinkResult>[8];
        for (int w = 0; w < writers.Length; w++)
        {
            int second = w;
            writers[w] = Task.Run(() => WriteAsync(http, deviceIdentifier, patientIdentifier, second));
        }

        SinkResult[] results = await Task.WhenAll(writers);

        Assert.All(results, r => Assert.True(r.IsSuccessful));
        Assert.Equal(1, await CountAsync(http, "Patient", patientIdentifier));
        Assert.Equal(1, await CountAsync(http, "Device", deviceIdentifier));
        Assert.Equal(8, await CountAsync(http, "Observation", null, "subject=Patient/" + DeterministicId.ForPatient(patientIdentifier)));
    }

    private async Task<SinkResult> WriteAsync(HttpClient http, string device, string patient, int second)
    {
        var identity = new CreateModeIdentity();
        var measurement = new Measurement
        {
            Type = "hr",
            OccurrenceTimeUtc = new DateTime(2026, 11, 21, 15, 0, second, DateTimeKind.Utc),
            DeviceId = device,
            PatientId = patient,
            Properties = { new MeasurementProperty("hr", (60 + second).ToString(System.Globalization.CultureInfo.InvariantCulture)) },
        };
        var resources = new List<FhirResource>();
        ResourceReferences? references = identity.Resolve(measurement, resources, [], out _, out string? error);
        Assert.Null(error);
        Assert.Null(s_mapping.Transform(measurement, references!, DateTime.UtcNow, resources));

        var batch = new List<OutboxRecord>();
        foreach (FhirResource resource in resources)
        {
            batch.Add(new OutboxRecord { DeviceId = device, ResourceType = resource.ResourceType, ResourceId = resource.Id, Body = resource.Json });
        }

        var sink = new FhirServerSink(new FhirClient(http, peer.BaseUrl), s_mapping);
        SinkResult result = await sink.WriteAsync(batch, CancellationToken.None);

        // A version race between two writers is transient by design (the record stays in the outbox and is
        // written again): do what the persist stage does, and try again.
        for (int attempt = 0; !result.IsSuccessful && result.Failed[0].Details.WaitsForever && attempt < 5; attempt++)
        {
            result = await sink.WriteAsync(batch, CancellationToken.None);
        }

        return result;
    }

    private async Task<int> CountAsync(HttpClient http, string type, string? identifier, string? query = null)
    {
        string search = query ?? "identifier=" + Uri.EscapeDataString(identifier!);
        using JsonDocument bundle = JsonDocument.Parse(await http.GetStringAsync(new Uri(peer.BaseUrl, $"{type}?{search}&_count=100")));
        return bundle.RootElement.TryGetProperty("entry", out JsonElement entries) ? entries.GetArrayLength() : 0;
    }
}
