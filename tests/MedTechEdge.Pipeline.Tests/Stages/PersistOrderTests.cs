using System.Text;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Pipeline.Tests.Sinks;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Pipeline.Tests.Stages;

/// <summary>Reliability guarantee 6: per-device order, and a resource after what it references, on every lane and retry.</summary>
public sealed class PersistOrderTests
{
    private const int Devices = 20;
    private const int Rounds = 30;

    [Fact]
    public async Task Through_A_Phased_Outage_Each_Device_Keeps_Its_Order_And_Nothing_Precedes_Its_Patient_Or_Device()
    {
        using var harness = new PipelineHarness();
        harness.Options.PersistBatchSize = 4;
        harness.Options.PersistConcurrency = 4;
        var server = new PhasedOutageServer(outageCalls: 12, identityFailures: 3);
        PersistStage persist = harness.Persist(server);
        await persist.StartAsync(CancellationToken.None);

        // Devices share patients (four devices per patient); the first device of a patient writes the Patient, each
        // device its own Device, as Map's Create mode does. Rows arrive in many small commits while Persist runs, so
        // lanes finish and free their rows while later ones are read.
        var patientsWritten = new HashSet<string>(StringComparer.Ordinal);
        for (int round = 0; round < Rounds; round++)
        {
            var rows = new List<OutboxRecord>();
            for (int d = 0; d < Devices; d++)
            {
                string device = $"dev-{d:00}";
                string patient = $"pat-{d % 5}";
                if (round == d % 3)
                {
                    if (patientsWritten.Add(patient))
                    {
                        rows.Add(Identity("Patient", patient, device, patient));
                    }

                    rows.Add(Identity("Device", device, device, patient));
                }

                if (round >= d % 3)
                {
                    rows.Add(new OutboxRecord { DeviceId = device, Kind = OutboxKind.Resource, ResourceType = "Observation", ResourceId = $"{device}-{round:000}", PatientId = patient, Body = "{}"u8.ToArray() });
                }
            }

            Insert(harness, rows);
            harness.Signals.Outbox.Set();
        }

        await PipelineHarness.WaitAsync(() => harness.Counts().Outbox == 0, "the outbox to drain");
        await persist.StopAsync(CancellationToken.None);

        Assert.Empty(server.Violations);
        Assert.Equal(0, harness.Counts().DeadLetters);
        int expected = 0;
        for (int d = 0; d < Devices; d++)
        {
            string device = $"dev-{d:00}";
            List<string> arrived = server.ArrivedByDevice[device];
            List<string> sorted = [.. arrived];
            sorted.Sort(StringComparer.Ordinal);
            Assert.Equal(sorted, arrived);
            Assert.Equal(arrived.Count, new HashSet<string>(arrived).Count);
            expected += Rounds - (d % 3);
        }

        Assert.Equal(expected, server.Observations);
    }

    private static OutboxRecord Identity(string type, string id, string device, string patient) => new()
    {
        DeviceId = device,
        Kind = OutboxKind.Identity,
        ResourceType = type,
        ResourceId = id,
        PatientId = patient,
        Body = Encoding.UTF8.GetBytes($$"""{"resourceType":"{{type}}","id":"{{id}}"}"""),
    };

    private static void Insert(PipelineHarness harness, List<OutboxRecord> rows)
    {
        using SqliteConnection connection = harness.Store.OpenConnection();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using (var insert = new OutboxInsert(connection, transaction))
        {
            foreach (OutboxRecord row in rows)
            {
                insert.Insert(row);
            }
        }

        transaction.Commit();
    }
}
