using System.Collections.Concurrent;
using System.Net;
using MedTechEdge.Hosting;
using MedTechEdge.Observability;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MedTechEdge.Tests.Observability;

/// <summary>
/// <c>/readyz</c> asks whether the store answers at every probe, and a starting module is probed every few
/// milliseconds while its stages work through an outage's backlog: so what it asks must cost the same on an empty
/// store and on 100,000 waiting rows. Every statement the probe's connection runs is recorded by SQLite's trace hook:
/// the store is asked <see cref="StoreHealth.Query"/> alone (its plan, two seeks, is checked in the store's tests).
/// </summary>
public sealed class ReadinessStoreCheckTests
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task Readyz_Reads_The_Store_Without_Scanning_A_Table()
    {
        string folder = Path.Combine(Path.GetTempPath(), "medtechedge-readyz-store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var statements = new ConcurrentQueue<string>();
        using IHost host = ModuleHost.Build(
            ["--MedTechEdge:Mqtt:Port=0", "--MedTechEdge:Metrics:Port=0", "--MedTechEdge:Store:Path=" + Path.Combine(folder, "store.db"), "--Logging:LogLevel:Default=Warning"],
            configure: services => services.AddSingleton(sp => new StoreProbe(sp.GetRequiredService<MedTechStore>(), () => Traced(sp.GetRequiredService<MedTechStore>(), statements))));
        ObservabilityServer server = host.Services.GetRequiredService<ObservabilityServer>();
        await server.StartAsync(CancellationToken.None);
        try
        {
            using (HttpResponseMessage ready = await s_http.GetAsync($"http://{server.LocalEndPoint}/readyz"))
            {
                // Unready only because nothing but the endpoint started; the store answered.
                string body = await ready.Content.ReadAsStringAsync();
                Assert.DoesNotContain("store:", body, StringComparison.Ordinal);
            }

            // Only StoreHealth's query (two id seeks, which its tests show SQLite plans without a scan): never the backlog
            // gauges' COUNT(*), which reads every outbox row's page.
            List<string> queries = statements.Select(s => s.Trim()).Where(s => !s.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase)).Distinct().ToList();
            Assert.Equal([StoreHealth.Query], queries);
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
            host.Services.GetRequiredService<StoreProbe>().Dispose();
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static SqliteConnection Traced(MedTechStore store, ConcurrentQueue<string> statements)
    {
        SqliteConnection connection = store.OpenConnection();
        SQLitePCL.raw.sqlite3_trace(connection.Handle, (_, sql) => statements.Enqueue(sql.utf8_to_string()), null);
        return connection;
    }
}
