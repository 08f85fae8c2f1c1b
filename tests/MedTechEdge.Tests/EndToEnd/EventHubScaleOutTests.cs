using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MedTechEdge.TestPeers;
using MedTechEdge.TestPeers.EventHubsAmqp;
using MedTechEdge.Tests.Observability;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// Issue 13, scale-out: three module processes (cloud instances: no MQTT, the Event Hubs ingress, the FHIR sink) share
/// one 8-partition hub through Blob checkpoints in Azurite. The partitions are shared out 2-3-3; one instance is killed
/// with SIGKILL while events flow, holding events it checkpointed but could not deliver yet (the FHIR server is away);
/// the other two take its partitions once its claims expire, and read on from its checkpoints; started again on its own
/// folder (docs/deploy.md, "Each instance's store"), it delivers what only its store held. Every event is then exactly
/// one Observation on the FHIR server.
/// </summary>
public sealed class EventHubScaleOutTests : IDisposable
{
    private const int Partitions = 8;
    private const int Devices = 48;
    private const int RoundsPerStage = 4;
    private const string ConsumerGroup = "medtechedge";
    private static readonly TimeSpan s_loadBalancingInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_ownershipExpiry = TimeSpan.FromSeconds(4);

    private readonly TestFolder _root = new("medtechedge-scaleout-");
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Three_Instances_Share_The_Partitions_Survive_A_Kill_And_Make_Every_Event_One_Observation()
    {
        using var hub = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = Partitions, ConsumerGroups = ["$Default", ConsumerGroup] });
        var azurite = new AzuriteFixture();
        var fhir = new FhirPeerFixture();
        await Task.WhenAll(azurite.InitializeAsync(), fhir.InitializeAsync());
        // In front of the FHIR server for all three: the test takes the server away for a moment, so what the instances
        // read meanwhile waits in their stores.
        await using var proxy = new FhirRecordingProxy(fhir.BaseUrl);
        string container = "checkpoints-" + _run;
        var blobs = new BlobContainerClient(azurite.ConnectionString, container);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var instances = new ModuleProcess?[3];
        var expected = new List<HubEvent>();
        try
        {
            string[] args =
            [
                "--MedTechEdge:Dashboard:Enabled=false",
                "--MedTechEdge:Fhir:Url=" + proxy.BaseUrl,
                "--MedTechEdge:Pipeline:FirstRetryDelay=00:00:00.1",
                "--MedTechEdge:Pipeline:MaxRetryDelay=00:00:00.5",
                "--MedTechEdge:EventHubIngress:Enabled=true",
                "--MedTechEdge:EventHubIngress:ConnectionString=" + hub.ConnectionString,
                "--MedTechEdge:EventHubIngress:ConsumerGroup=" + ConsumerGroup,
                "--MedTechEdge:EventHubIngress:CheckpointStore=Blob",
                "--MedTechEdge:EventHubIngress:Blob:ConnectionString=" + azurite.ConnectionString,
                "--MedTechEdge:EventHubIngress:Blob:ContainerName=" + container,
                "--MedTechEdge:EventHubIngress:LoadBalancingInterval=" + s_loadBalancingInterval.ToString("c", CultureInfo.InvariantCulture),
                "--MedTechEdge:EventHubIngress:OwnershipExpiry=" + s_ownershipExpiry.ToString("c", CultureInfo.InvariantCulture),
            ];
            var folders = new string[instances.Length];
            var starting = new Task<ModuleProcess>[instances.Length];
            for (int i = 0; i < instances.Length; i++)
            {
                folders[i] = _root.Sub("instance-" + i);
                starting[i] = ModuleProcess.StartWithoutMqttAsync(folders[i], args);
            }

            for (int i = 0; i < instances.Length; i++)
            {
                instances[i] = await starting[i];
            }

            // Stage 1: the partitions are shared out, every event is delivered.
            Append(hub, expected, round: 0);
            IReadOnlyList<SortedSet<string>> shares = await BalancedAsync(http, instances, blobs, TimeSpan.FromSeconds(60));
            Assert.All(shares, owned => Assert.InRange(owned.Count, 2, 3));
            await DeliveredAsync(http, fhir.BaseUrl, expected, TimeSpan.FromSeconds(60));

            // Stage 2, with the FHIR server away: each instance stores and checkpoints what it reads, and holds it.
            int victim = shares.Select((owned, i) => (owned.Count, i)).Max().i;
            SortedSet<string> victimPartitions = shares[victim];
            proxy.Fault = FhirFault.ServiceUnavailable;
            Append(hub, expected, round: RoundsPerStage);
            var stage2Last = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (HubEvent e in expected.Where(e => e.Round >= RoundsPerStage && victimPartitions.Contains(e.Partition)))
            {
                stage2Last[e.Partition] = Math.Max(stage2Last.GetValueOrDefault(e.Partition, -1), e.SequenceNumber);
            }

            await Eventually.GetAsync(
                async () =>
                {
                    Dictionary<string, long> checkpoints = await CheckpointsAsync(blobs);
                    return stage2Last.All(p => checkpoints.GetValueOrDefault(p.Key, -1) >= p.Value) ? "checkpointed" : null;
                },
                TimeSpan.FromSeconds(60),
                "the instance to be killed to checkpoint its partitions' stage-2 events");

            // Stage 3 flows while the instance is killed: it reads the first half, and dies before the second.
            Append(hub, expected, round: 2 * RoundsPerStage, rounds: RoundsPerStage / 2);
            int appendedToVictim = expected.Count(e => victimPartitions.Contains(e.Partition));
            await Eventually.GetAsync(
                async () => await ReceivedAsync(http, instances[victim]!) >= appendedToVictim ? "read" : null,
                TimeSpan.FromSeconds(30),
                $"the instance to be killed to read the {appendedToVictim} events of its partitions");
            await instances[victim]!.KillAsync();
            var sinceKill = Stopwatch.StartNew();
            // Its claims have not expired yet, so nobody has checkpointed over it: these checkpoints are its last.
            Dictionary<string, long> victimCheckpoints = await CheckpointsAsync(blobs);
            Append(hub, expected, round: (2 * RoundsPerStage) + (RoundsPerStage / 2), rounds: RoundsPerStage / 2);
            proxy.Fault = FhirFault.None;

            // Read, stored and checkpointed by the killed instance, not delivered: on its volume and nowhere else.
            var heldByVictim = new HashSet<string>(
                expected.Where(e => e.Round >= RoundsPerStage && victimPartitions.Contains(e.Partition) && e.SequenceNumber <= victimCheckpoints[e.Partition]).Select(e => e.Identifier),
                StringComparer.Ordinal);
            Assert.True(heldByVictim.Count >= RoundsPerStage * Devices / Partitions * victimPartitions.Count, $"{heldByVictim.Count} events held by the killed instance");
            Assert.True(UndeliveredRows(folders[victim]) > 0, "the killed instance's store holds no undelivered rows");

            // The survivors take its partitions once its claims expire.
            ModuleProcess?[] survivors = instances.Select((p, i) => i == victim ? null : p).ToArray();
            // Its claims lapse at most the ownership expiry after the kill; each survivor sees that at its next
            // balancing cycle and (the SDK's balanced strategy) claims one partition per cycle, so its 3 partitions need
            // two cycles between the two survivors. One more interval for the probe on a busy machine.
            TimeSpan takeoverBound = s_ownershipExpiry + (3 * s_loadBalancingInterval);
            IReadOnlyList<SortedSet<string>> after = await BalancedAsync(http, survivors, blobs, takeoverBound);
            TimeSpan takeover = sinceKill.Elapsed;
            Assert.Equal(Partitions, after.Sum(owned => owned.Count));

            // Everything else reaches the server through the survivors; what only the killed instance held does not.
            await DeliveredAsync(http, fhir.BaseUrl, expected.Where(e => !heldByVictim.Contains(e.Identifier)).ToList(), TimeSpan.FromSeconds(60));
            List<JsonElement> before = await ObservationsAsync(http, fhir.BaseUrl);
            Assert.DoesNotContain(before, o => heldByVictim.Contains(FhirObservations.Identifier(o)));

            // Started again on its folder, as an orchestrator restarts a killed container on its volume.
            instances[victim] = await ModuleProcess.StartWithoutMqttAsync(folders[victim], args);
            List<JsonElement> observations = await DeliveredAsync(http, fhir.BaseUrl, expected, TimeSpan.FromSeconds(60));

            // Exactly once: one Observation per event, each with the event's value, none besides.
            Assert.Equal(expected.Count, observations.Count);
            Assert.Equal(expected.Count, observations.Select(o => o.GetProperty("id").GetString()).Distinct().Count());
            Dictionary<string, HubEvent> byIdentifier = expected.ToDictionary(e => e.Identifier, StringComparer.Ordinal);
            foreach (JsonElement observation in observations)
            {
                HubEvent e = byIdentifier[FhirObservations.Identifier(observation)];
                Assert.Equal(e.HeartRate, observation.GetProperty("valueQuantity").GetProperty("value").GetInt32());
            }

            // Three instances and a replay made each device's Patient and Device once (their ids are deterministic too).
            Assert.Equal(Devices, (await FhirObservations.SearchAsync(http, new Uri(fhir.BaseUrl, "Patient?_count=1000"))).Count);
            Assert.Equal(Devices, (await FhirObservations.SearchAsync(http, new Uri(fhir.BaseUrl, "Device?_count=1000"))).Count);
            Assert.Empty(hub.Faults);
            Assert.True(takeover < takeoverBound, $"takeover took {takeover}");
        }
        finally
        {
            foreach (ModuleProcess? instance in instances)
            {
                if (instance is not null)
                {
                    await instance.DisposeAsync();
                }
            }

            await fhir.DisposeAsync();
            await azurite.DisposeAsync();
        }
    }

    /// <summary>
    /// Appends <paramref name="rounds"/> rounds from <paramref name="round"/>: one heart rate per device and round,
    /// each device on one partition with its id as the partition key, as a producer keyed by device would send them.
    /// </summary>
    private void Append(EventHubsAmqpPeer hub, List<HubEvent> expected, int round, int rounds = RoundsPerStage)
    {
        for (int r = round; r < round + rounds; r++)
        {
            for (int d = 0; d < Devices; d++)
            {
                string device = $"so-{_run}-{d}";
                string patient = $"p-so-{_run}-{d}";
                DateTime at = Day().AddMinutes(d).AddSeconds(r);
                int heartRate = 50 + ((d + r) % 70);
                byte[] body = Encoding.UTF8.GetBytes($$"""{"deviceId":"{{device}}","patientId":"{{patient}}","measurementTime":"{{at:yyyy-MM-ddTHH:mm:ssZ}}","heartRate":{{heartRate}}}""");
                EventHubsRecordedEvent stored = hub.Append(d % Partitions, body, annotations: new Dictionary<string, object?> { ["x-opt-partition-key"] = device }, contentType: "application/json");
                string second = at.ToString("yyyyMMddHHmmss'Z'", CultureInfo.InvariantCulture);
                string identifier = $"{FhirObservations.Sha256("_" + patient)}.{FhirObservations.DeviceResourceId(device)}.heartrate.{second}.{second}";
                expected.Add(new HubEvent(r, stored.PartitionId, stored.SequenceNumber, identifier, heartRate));
            }
        }
    }

    /// <summary>
    /// Waits until the running instances own every partition between them, each exactly once, as their metrics say,
    /// and the ownership blobs in the checkpoint container say the same: one owner per instance, with that instance's
    /// partitions. Returns each running instance's partitions.
    /// </summary>
    private static async Task<IReadOnlyList<SortedSet<string>>> BalancedAsync(HttpClient http, ModuleProcess?[] instances, BlobContainerClient blobs, TimeSpan timeout)
    {
        string last = "nothing yet";
        return await Eventually.GetAsync<IReadOnlyList<SortedSet<string>>>(
                async () =>
                {
                    var shares = new List<SortedSet<string>>();
                    foreach (ModuleProcess? instance in instances)
                    {
                        if (instance is not null)
                        {
                            shares.Add(await OwnedPartitionsAsync(http, instance));
                        }
                    }

                    Dictionary<string, SortedSet<string>> owners = await OwnershipBlobsAsync(blobs);
                    last = "metrics: " + string.Join(" | ", shares.Select(s => string.Join(",", s))) + "; blobs: " + string.Join(" | ", owners.Values.Select(s => string.Join(",", s)));
                    int min = Partitions / shares.Count;
                    int max = (Partitions + shares.Count - 1) / shares.Count;
                    bool balanced = shares.Sum(s => s.Count) == Partitions
                        && shares.SelectMany(s => s).Distinct().Count() == Partitions
                        && shares.All(s => s.Count >= min && s.Count <= max)
                        && owners.Count == shares.Count
                        && shares.All(s => owners.Values.Any(o => o.SetEquals(s)));
                    return balanced ? shares : null;
                },
                timeout,
                "the partitions to be shared out",
                () => last);
    }

    /// <summary>The partitions an instance says it owns (<c>medtechedge_eventhub_partition_owned</c> = 1).</summary>
    private static async Task<SortedSet<string>> OwnedPartitionsAsync(HttpClient http, ModuleProcess instance)
    {
        string text = await http.GetStringAsync(new Uri(instance.MetricsUrl, "metrics"));
        var owned = new SortedSet<string>(StringComparer.Ordinal);
        foreach (PrometheusSample sample in PrometheusText.Parse(text))
        {
            if (sample.Name == "medtechedge_eventhub_partition_owned" && sample.Value == 1)
            {
                owned.Add(sample.Labels["partition"]);
            }
        }

        return owned;
    }

    /// <summary>The events an instance read from the hub, over all partitions (<c>medtechedge_eventhub_events_received_total</c>).</summary>
    private static async Task<double> ReceivedAsync(HttpClient http, ModuleProcess instance)
    {
        string text = await http.GetStringAsync(new Uri(instance.MetricsUrl, "metrics"));
        return PrometheusText.Parse(text).Where(s => s.Name == "medtechedge_eventhub_events_received_total").Sum(s => s.Value);
    }

    /// <summary>
    /// The SDK's ownership blobs (<c>{namespace}/{hub}/{consumer group}/ownership/{partition}</c>, metadata
    /// <c>ownerid</c>): each owner's partitions. A blob with an empty owner (a partition given up) counts for none.
    /// </summary>
    private static async Task<Dictionary<string, SortedSet<string>>> OwnershipBlobsAsync(BlobContainerClient blobs)
    {
        var owners = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        await foreach (BlobItem blob in blobs.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
        {
            string[] segments = blob.Name.Split('/');
            if (segments.Length >= 3 && segments[^2] == "ownership" && segments[^3] == ConsumerGroup
                && blob.Metadata.TryGetValue("ownerid", out string? owner) && !string.IsNullOrEmpty(owner))
            {
                if (!owners.TryGetValue(owner, out SortedSet<string>? partitions))
                {
                    owners[owner] = partitions = new SortedSet<string>(StringComparer.Ordinal);
                }

                partitions.Add(segments[^1]);
            }
        }

        return owners;
    }

    /// <summary>The SDK's checkpoint blobs (<c>…/checkpoint/{partition}</c>, metadata <c>sequencenumber</c>): the last event checkpointed per partition.</summary>
    private static async Task<Dictionary<string, long>> CheckpointsAsync(BlobContainerClient blobs)
    {
        var checkpoints = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (BlobItem blob in blobs.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
        {
            string[] segments = blob.Name.Split('/');
            if (segments.Length >= 3 && segments[^2] == "checkpoint" && segments[^3] == ConsumerGroup && blob.Metadata.TryGetValue("sequencenumber", out string? sequence))
            {
                checkpoints[segments[^1]] = long.Parse(sequence, CultureInfo.InvariantCulture);
            }
        }

        return checkpoints;
    }

    /// <summary>Waits until every one of <paramref name="events"/> is an Observation on the server; returns all Observations there.</summary>
    private static async Task<List<JsonElement>> DeliveredAsync(HttpClient http, Uri fhir, IReadOnlyCollection<HubEvent> events, TimeSpan timeout)
    {
        var wanted = new HashSet<string>(events.Select(e => e.Identifier), StringComparer.Ordinal);
        int found = 0;
        return await Eventually.GetAsync(
                async () =>
                {
                    List<JsonElement> observations = await ObservationsAsync(http, fhir);
                    var identifiers = new HashSet<string>(observations.Select(FhirObservations.Identifier), StringComparer.Ordinal);
                    found = wanted.Count(identifiers.Contains);
                    return found == wanted.Count ? observations : null;
                },
                timeout,
                $"{wanted.Count} events as Observations",
                () => $"{found} of them");
    }

    // The FHIR peer is this test's own: every Observation on it came from the instances.
    private static Task<List<JsonElement>> ObservationsAsync(HttpClient http, Uri fhir) => FhirObservations.SearchAsync(http, new Uri(fhir, "Observation?_count=1000"));

    /// <summary>Inbox and outbox rows in an instance's store: what it took in and has not delivered.</summary>
    private static long UndeliveredRows(string folder)
    {
        using var connection = new SqliteConnection("Data Source=" + Path.Combine(folder, "data", "medtechedge.db") + ";Pooling=False");
        connection.Open();
        using SqliteCommand count = connection.CreateCommand();
        count.CommandText = "SELECT (SELECT count(*) FROM inbox) + (SELECT count(*) FROM outbox)";
        return (long)count.ExecuteScalar()!;
    }

    // Each run measures on a day of its own.
    private DateTime Day() => new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(Convert.ToInt32(_run[..4], 16) % 300);

    /// <summary>One event appended to the hub, and the Observation identifier it must become.</summary>
    private sealed record HubEvent(int Round, string Partition, long SequenceNumber, string Identifier, int HeartRate);
}
