using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedTechEdge.Hosting;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using MedTechEdge.Tools;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// Issue 12 item 1, as reproduced: with a credentials file for devA and devB, devA publishes on its own topic a body that
/// names devB (or another patient). Real peers: Mosquitto's client publishes, the FHIR peer receives.
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class DeviceIdentityBindingTests(FhirPeerFixture peer) : IDisposable
{
    private static readonly HttpClient s_http = new();
    private readonly string _file = Path.Combine(Path.GetTempPath(), "medtechedge-credentials-" + Guid.NewGuid().ToString("N"));
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task A_Device_Cannot_Write_As_Another_Device_Or_Into_Another_Patients_Record()
    {
        string devA = "devA-" + _run, devB = "devB-" + _run;
        await WriteCredentialsAsync((devA, "pass-a-123"), (devB, "pass-b-123"));
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(peer.BaseUrl, "--MedTechEdge:Mqtt:CredentialsFile=" + _file);

        // Every one is acknowledged (it is committed): what devA may not say becomes a dead letter, not an Observation.
        await PublishAsAsync(module, devA, "pass-a-123", Vitals(devB, "X-" + _run, 0));
        // devA's first patient, then at once another: the Device may not be on the server yet when the second is mapped.
        await PublishAsAsync(module, devA, "pass-a-123", Vitals(devA, "pat-A-" + _run, 1));
        await PublishAsAsync(module, devA, "pass-a-123", Vitals(devA, "pat-B-" + _run, 2));
        await Eventually.TrueAsync(() => module.Map.MappedCount == 3, TimeSpan.FromSeconds(30), "all three messages mapped");
        await Eventually.TrueAsync(() => module.Persist.PersistedCount >= 3, TimeSpan.FromSeconds(30), "devA's own Observation, Patient and Device");

        List<DeadLetter> letters = DeadLetters(module);
        Assert.Equal([DeadLetterKind.DeviceIdentityMismatch, DeadLetterKind.PatientDeviceMismatch], letters.ConvertAll(l => l.Kind));
        Assert.Equal(devA, letters[0].Message.Binding?.Identity);

        // Nothing of devB or of the other patients reached the server; devA's own message did.
        Assert.Equal(0, await CountAsync($"Observation?device=Device/{Sha256("_" + devB)}"));
        Assert.Equal(0, await CountAsync($"Patient?identifier=X-{_run}"));
        Assert.Equal(0, await CountAsync($"Patient?identifier=pat-B-{_run}"));
        Assert.Equal(0, await CountAsync($"Observation?subject=Patient/{Sha256("_pat-B-" + _run)}"));
        Assert.Equal(1, await CountAsync($"Observation?subject=Patient/{Sha256("_pat-A-" + _run)}"));
    }

    private async Task WriteCredentialsAsync(params (string User, string Password)[] users)
    {
        var file = new StringBuilder();
        foreach ((string user, string password) in users)
        {
            var line = new StringWriter();
            Assert.Equal(0, await ModuleEntryPoint.RunAsync(["mqtt", "hash-password", user], new StringReader(password + "\n"), line, new StringWriter()));
            file.Append(line.ToString());
        }

        await File.WriteAllTextAsync(_file, file.ToString());
    }

    private static async Task PublishAsAsync(ModuleUnderTest module, string user, string password, string body)
    {
        MosquittoClientResult result = await MosquittoClients.PublishAsync(TimeSpan.FromSeconds(20),
            "-h", "127.0.0.1", "-p", module.MqttEndPoint.Port.ToString(CultureInfo.InvariantCulture), "-q", "1", "-V", "mqttv5",
            "-u", user, "-P", password, "-t", $"devices/{user}/messages/events/", "-m", body);
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    private static string Vitals(string device, string patient, int second) =>
        $$"""{"deviceId":"{{device}}","patientId":"{{patient}}","measurementTime":"2026-11-21T10:00:0{{second}}Z","heartRate":70}""";

    private static List<DeadLetter> DeadLetters(ModuleUnderTest module)
    {
        using var connection = new SqliteConnection("Data Source=" + module.StorePath);
        connection.Open();
        var letters = new List<DeadLetter>();
        DeadLetterTable.List(connection, 100, letters);
        return letters;
    }

    private async Task<int> CountAsync(string query)
    {
        using JsonDocument bundle = JsonDocument.Parse(await s_http.GetStringAsync(new Uri(peer.BaseUrl, query + (query.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "_count=100")));
        return bundle.RootElement.TryGetProperty("entry", out JsonElement entries) ? entries.GetArrayLength() : 0;
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
