using System.Globalization;

namespace MedTechEdge.PersistLoad;

/// <summary>One scrape of a module's /metrics (Prometheus text), read by family name and a label it must carry.</summary>
internal sealed class ModuleScrape(string text)
{
    /// <summary>Resources the FHIR server answered 201 for: new ones, so a replay after a partition move adds none.</summary>
    public long Created => Sum("medtechedge_resources_saved_total", "outcome=\"created\"");

    /// <summary>Every resource the sink confirmed, replays included.</summary>
    public long Saved => Sum("medtechedge_resources_saved_total", null);

    public long DeadLetters => Sum("medtechedge_dead_letters", null);

    public long EventsReceived => Sum("medtechedge_eventhub_events_received_total", null);

    public long PartitionsOwned => Sum("medtechedge_eventhub_partitions_owned", null);

    /// <summary>Times the Map stage held back for a burst of acknowledgements (Pipeline:BurstDeferral).</summary>
    public long BurstDeferrals => Sum("medtechedge_map_burst_deferrals_total", null);

    /// <summary>The JIT's compile time so far, on every thread: the warm-up share of the module's CPU time.</summary>
    public TimeSpan Jit => TimeSpan.FromSeconds(Total("medtechedge_jit_compilation_seconds_total", null));

    /// <summary>Sums the samples of <paramref name="family"/> that carry <paramref name="label"/> (all when null).</summary>
    public long Sum(string family, string? label) => (long)Total(family, label);

    private double Total(string family, string? label)
    {
        double sum = 0;
        foreach (string line in text.Split('\n'))
        {
            // A sample is "name{labels} value" or "name value"; "name_bucket" and the like are other families.
            if (!line.StartsWith(family, StringComparison.Ordinal) || line.Length == family.Length || (line[family.Length] != '{' && line[family.Length] != ' '))
            {
                continue;
            }

            if (label is null || line.Contains(label, StringComparison.Ordinal))
            {
                sum += double.Parse(line.AsSpan(line.LastIndexOf(' ') + 1), CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}
