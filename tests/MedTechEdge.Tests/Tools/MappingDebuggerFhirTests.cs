using System.Net;
using System.Text;
using System.Text.Json;
using MedTechEdge.Fhir.Client;
using MedTechEdge.TestPeers;
using MedTechEdge.Tools;

namespace MedTechEdge.Tests.Tools;

/// <summary><c>mappings debug --fhir-url</c>: the Lookup modes' searches made for real on the FHIR peer, read-only.</summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class MappingDebuggerFhirTests : IDisposable
{
    private readonly FhirPeerFixture _peer;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-debugger-fhir-" + Guid.NewGuid().ToString("N"));
    // The peer is shared: identifiers of this test's own.
    private readonly string _known = "scale-" + Guid.NewGuid().ToString("N")[..8];

    public MappingDebuggerFhirTests(FhirPeerFixture peer)
    {
        _peer = peer;
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task SeedAsync(FhirClient client, string type, string id, string json)
    {
        FhirResponse response = await client.PutAsync(type, id, Encoding.UTF8.GetBytes(json));
        Assert.True(response.IsSuccess, $"{type}/{id}: HTTP {response.StatusCode} {_peer.StandardError}");
    }

    [Fact]
    public async Task Lookup_With_A_Fhir_Url_Resolves_Known_Devices_And_Shows_The_Error_Next_To_An_Unknown_One()
    {
        using var http = new HttpClient();
        var client = new FhirClient(http, _peer.BaseUrl);
        string patient = "pat-" + _known;
        string device = "dev-" + _known;
        await SeedAsync(client, "Patient", patient, $$"""{"resourceType":"Patient","id":"{{patient}}","identifier":[{"value":"mrn-{{_known}}"}]}""");
        await SeedAsync(client, "Device", device, $$$"""{"resourceType":"Device","id":"{{{device}}}","identifier":[{"value":"{{{_known}}}"}],"patient":{"reference":"Patient/{{{patient}}}"}}""");
        string messages = MappingDebuggerTests.Write(_folder, "scale.json", $$"""
            [{"device":"{{_known}}","time":"2026-11-21T07:00:00Z","weightLbs":"150"},
             {"device":"unknown-{{_known}}","time":"2026-11-21T07:05:00Z","weightLbs":"180"}]
            """);

        (int exit, JsonElement result, string errors) = await MappingDebuggerTests.RunAsync(
            "mappings", "debug", "--device", MappingDebuggerTests.Write(_folder, "device.json", MappingDebuggerTests.ScaleMapping),
            "--fhir", MappingDebuggerTests.Write(_folder, "fhir.json", MappingDebuggerTests.ScaleFhir),
            "--message", messages, "--resolution-type", "Lookup", "--fhir-url", _peer.BaseUrl.ToString());

        Assert.Equal(1, exit);
        JsonElement[] identities = [.. result.GetProperty("identities").EnumerateArray()];
        JsonElement found = identities.Single(i => i.GetProperty("deviceId").GetString() == _known);
        Assert.Equal("server", found.GetProperty("source").GetString());
        Assert.Equal("Patient/" + patient, found.GetProperty("references").GetProperty("patient").GetString());
        Assert.Equal("Device/" + device, found.GetProperty("references").GetProperty("device").GetString());

        // Both measurements are shown; the unknown device's carries the module's dead-letter kind.
        JsonElement[] measurements = [.. result.GetProperty("measurements").EnumerateArray()];
        Assert.Equal(2, measurements.Length);
        Assert.False(measurements[0].TryGetProperty("error", out _));
        Assert.Equal("DeviceNotFoundException", measurements[1].GetProperty("error").GetProperty("kind").GetString());
        Assert.Contains("message 1, measurement 0: DeviceNotFoundException", errors, StringComparison.Ordinal);

        JsonElement observation = Assert.Single(result.GetProperty("observations").EnumerateArray());
        Assert.Equal("Patient/" + patient, observation.GetProperty("subject").GetProperty("reference").GetString());

        // Looking is all it did: no Observation reached the server.
        FhirResponse search = await client.SearchAsync("Observation", "subject=Patient/" + patient);
        Assert.True(search.IsSuccess);
        Assert.False(search.Json!.Value.TryGetProperty("entry", out JsonElement entries) && entries.GetArrayLength() > 0);
    }

    [Fact]
    public async Task The_Debuggers_Http_Handler_Lets_Only_Get_Through_To_The_Server()
    {
        using var http = new HttpClient(new ReadOnlyFhirHandler(new SocketsHttpHandler()));
        var client = new FhirClient(http, _peer.BaseUrl);
        string id = "ro-" + _known;

        FhirResponse put = await client.PutAsync("Patient", id, Encoding.UTF8.GetBytes($$"""{"resourceType":"Patient","id":"{{id}}"}"""));
        Assert.Equal((int)HttpStatusCode.MethodNotAllowed, put.StatusCode);

        using var direct = new HttpClient();
        FhirResponse read = await new FhirClient(direct, _peer.BaseUrl).ReadAsync("Patient", id);
        Assert.Equal(FhirFailureKind.NotFound, read.FailureKind);
        Assert.True((await client.SearchAsync("Patient", "_id=" + id)).IsSuccess);
    }
}
