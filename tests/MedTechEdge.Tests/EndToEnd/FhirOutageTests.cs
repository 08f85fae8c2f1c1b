using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// The FHIR server goes away in the middle of a stream and comes back: the module keeps accepting,
/// keeps everything in its store, and delivers all of it once the server is back, in order per device.
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
        // More than one Bundle's worth (100), so the order across Bundles is tested too.
        const int during = 120;
        var start = new DateTime(2026, 11, 21, 9, 10, 0, DateTimeKind.Utc);
        for (int i = 0; i < during; i++)
        {
            await module.PublishAsync("down-1", $$"""{"deviceId":"down-1","patientId":"p-down","measurementTime":"{{start.AddSeconds(i):yyyy-MM-ddTHH:mm:ssZ}}","heartRate":{{70 + (i % 100)}}}""");
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
            string json = await http.GetStringAsync(new Uri(after.BaseUrl, $"Observation?identifier={Uri.EscapeDataString(ServiceSystem + "|")}&_count=500"));
            var written = new List<(DateTime Measured, DateTime Written)>();
            foreach (System.Text.Json.JsonElement entry in System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("entry").EnumerateArray())
            {
                System.Text.Json.JsonElement observation = entry.GetProperty("resource");
                if (observation.GetProperty("identifier")[0].GetProperty("value").GetString()!.StartsWith(identifierPrefix, StringComparison.Ordinal))
                {
                    written.Add((observation.GetProperty("effectivePeriod").GetProperty("start").GetDateTime(), observation.GetProperty("meta").GetProperty("lastUpdated").GetDateTime()));
                }
            }

            Assert.Equal(during, written.Count);
            // In order per device: the server stored the device's Observations in the order they were measured.
            written.Sort((a, b) => a.Measured.CompareTo(b.Measured));
            for (int i = 1; i < written.Count; i++)
            {
                Assert.True(written[i].Written >= written[i - 1].Written, $"Observation {i} was written before Observation {i - 1}");
            }
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
