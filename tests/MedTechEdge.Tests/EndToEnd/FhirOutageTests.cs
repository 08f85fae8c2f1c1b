using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// The FHIR server goes away in the middle of a stream and comes back: the module keeps accepting,
/// keeps everything in its store, and delivers all of it once the server is back.
/// </summary>
public sealed class FhirOutageTests
{
    private const string ServiceSystem = "https://azure.microsoft.com/en-us/services/iomt-fhir-connector/";

    [Fact]
    public async Task Messages_Accepted_While_The_Fhir_Server_Is_Down_Arrive_After_It_Returns()
    {
        int port = FreePort();
        var before = new FhirPeerFixture { Port = port };
        await before.InitializeAsync();
        var baseUrl = before.BaseUrl;
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(baseUrl);
        await module.PublishAsync("up-1", """{"deviceId":"up-1","patientId":"p-up","measurementTime":"2026-11-21T09:00:00Z","heartRate":60}""");
        await Eventually.TrueAsync(() => module.Persist.PersistedCount >= 3, TimeSpan.FromSeconds(30), "the first message delivered");

        await before.DisposeAsync();
        const int during = 25;
        for (int i = 0; i < during; i++)
        {
            await module.PublishAsync("down-1", $$"""{"deviceId":"down-1","patientId":"p-down","measurementTime":"2026-11-21T09:10:{{i:00}}Z","heartRate":{{70 + i}}}""");
        }

        // Accepted and kept: every publish above was acknowledged, and nothing could be delivered.
        Assert.Equal(3, module.Persist.PersistedCount);

        var after = new FhirPeerFixture { Port = port };
        await after.InitializeAsync();
        try
        {
            await Eventually.TrueAsync(() => module.Persist.PersistedCount >= 3 + 2 + during, TimeSpan.FromSeconds(60), "the backlog delivered after the outage");
            using var http = new HttpClient();
            string identifierPrefix = $"{Sha256("_p-down")}.{Sha256("_down-1")}.heartrate.";
            string json = await http.GetStringAsync(new Uri(after.BaseUrl, $"Observation?identifier={Uri.EscapeDataString(ServiceSystem + "|")}&_count=100"));
            int found = 0;
            for (int index = json.IndexOf(identifierPrefix, StringComparison.Ordinal); index >= 0; index = json.IndexOf(identifierPrefix, index + 1, StringComparison.Ordinal))
            {
                found++;
            }

            Assert.Equal(during, found);
        }
        finally
        {
            await after.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
