using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedTechEdge.TestPeers;
using Microsoft.Extensions.DependencyInjection;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// The walking skeleton, end to end with real peers: Debian's mosquitto_pub publishes to the module's
/// own MQTT listener, and the Observation is read back from the real FHIR server.
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class MqttToFhirServerTests(FhirPeerFixture peer)
{
    private const string ServiceSystem = "https://azure.microsoft.com/en-us/services/iomt-fhir-connector/";
    private static readonly HttpClient s_http = new();

    [Fact]
    public async Task Heart_Rate_Published_With_Mosquitto_Pub_Lands_As_An_Observation_In_The_Fhir_Server()
    {
        string device = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        string patient = "patient-" + device;
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(peer.BaseUrl);

        await module.PublishAsync(device, $$"""{"deviceId":"{{device}}","patientId":"{{patient}}","measurementTime":"2026-11-21T17:30:15.250Z","heartRate":81}""");

        string observationId = ExpectedObservationId(patient, device, "heartrate", "20261121173015Z");
        JsonElement obs = await ReadEventuallyAsync("Observation/" + observationId);

        Assert.Equal("final", obs.GetProperty("status").GetString());
        JsonElement coding = obs.GetProperty("code").GetProperty("coding");
        Assert.Equal("http://loinc.org", coding[0].GetProperty("system").GetString());
        Assert.Equal("8867-4", coding[0].GetProperty("code").GetString());
        Assert.Equal(81m, obs.GetProperty("valueQuantity").GetProperty("value").GetDecimal());
        Assert.Equal("/min", obs.GetProperty("valueQuantity").GetProperty("code").GetString());
        Assert.Equal("2026-11-21T17:30:15.2500000Z", obs.GetProperty("effectivePeriod").GetProperty("start").GetString());

        // The references resolve: the Patient and Device exist on the server with the business identifiers.
        string subject = obs.GetProperty("subject").GetProperty("reference").GetString()!;
        string deviceRef = obs.GetProperty("device").GetProperty("reference").GetString()!;
        Assert.Equal("Patient/" + Sha256("_" + patient), subject);
        Assert.Equal("Device/" + Sha256("_" + device), deviceRef);
        JsonElement patientResource = await ReadEventuallyAsync(subject);
        Assert.Equal(patient, patientResource.GetProperty("identifier")[0].GetProperty("value").GetString());
        JsonElement deviceResource = await ReadEventuallyAsync(deviceRef);
        Assert.Equal(device, deviceResource.GetProperty("identifier")[0].GetProperty("value").GetString());
        Assert.Equal(subject, deviceResource.GetProperty("patient").GetProperty("reference").GetString());
    }

    [Fact]
    public async Task Replaying_The_Same_Message_Updates_The_Same_Observation_Instead_Of_Adding_One()
    {
        string device = "replay-" + Guid.NewGuid().ToString("N")[..8];
        string message = $$"""{"deviceId":"{{device}}","patientId":"p-{{device}}","measurementTime":"2026-11-21T08:00:00Z","spo2":97}""";
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(peer.BaseUrl);

        await module.PublishAsync(device, message);
        await module.PublishAsync(device, message, "mqttv5");
        await Eventually.TrueAsync(() => module.Map.MappedCount >= 2, TimeSpan.FromSeconds(30), "both messages mapped");
        // Mapped in one batch the two are one group, one Observation; in two, the same Observation twice. Either way
        // every write of it (and the Patient's and Device's) must reach the server before it is counted.
        long writes = 2 + module.Services.GetRequiredService<MedTechEdge.Pipeline.PipelineMetrics>().Groups;
        await Eventually.TrueAsync(() => module.Persist.PersistedCount >= writes, TimeSpan.FromSeconds(30), "every write persisted");

        string identifier = $"{Sha256("_p-" + device)}.{Sha256("_" + device)}.spo2.20261121080000Z.20261121080000Z";
        JsonElement bundle = await GetJsonAsync($"Observation?identifier={Uri.EscapeDataString(ServiceSystem + "|" + identifier)}");
        Assert.Equal(1, bundle.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_Message_That_Is_Not_Json_Goes_To_Dead_Letters_And_Good_Messages_Around_It_Are_Delivered()
    {
        string device = "poison-" + Guid.NewGuid().ToString("N")[..8];
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(peer.BaseUrl);

        await module.PublishAsync(device, $$"""{"deviceId":"{{device}}","patientId":"p","measurementTime":"2026-11-21T09:00:00Z","heartRate":60}""");
        await module.PublishAsync(device, "this is not json");
        await module.PublishAsync(device, $$"""{"deviceId":"{{device}}","patientId":"p","measurementTime":"2026-11-21T09:00:01Z","heartRate":61}""");

        await ReadEventuallyAsync("Observation/" + ExpectedObservationId("p", device, "heartrate", "20261121090000Z"));
        await ReadEventuallyAsync("Observation/" + ExpectedObservationId("p", device, "heartrate", "20261121090001Z"));
        await Eventually.TrueAsync(() => module.Map.DeadLetteredCount == 1, TimeSpan.FromSeconds(10), "the dead letter");
    }

    private static string ExpectedObservationId(string patient, string device, string type, string second)
    {
        // medtech-semantics §5.2: identifier value "{patientRid}.{deviceRid}.{type}.{start}.{end}", id = sha256("{system}_{value}").
        string value = $"{Sha256("_" + patient)}.{Sha256("_" + device)}.{type}.{second}.{second}";
        return Sha256(ServiceSystem + "_" + value);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private async Task<JsonElement> ReadEventuallyAsync(string relative)
    {
        JsonDocument document = await Eventually.GetAsync(async () =>
        {
            using HttpResponseMessage response = await s_http.GetAsync(new Uri(peer.BaseUrl, relative));
            return response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()) : null;
        }, TimeSpan.FromSeconds(30), relative + " on the FHIR server");
        return document.RootElement;
    }

    private async Task<JsonElement> GetJsonAsync(string relative)
    {
        using HttpResponseMessage response = await s_http.GetAsync(new Uri(peer.BaseUrl, relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
