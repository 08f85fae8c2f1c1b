using MedTechEdge.Fhir.Client;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>
/// The server's copies of the SampledData windows one batch merges into, read in one round trip: one window by a plain
/// <c>GET Observation/{id}</c> (http.html#read), several by one <c>batch</c> Bundle of such GETs (FHIR R4
/// http.html#transaction), each window read once however many of its records the batch holds. Before, each window was
/// read on its own, one after another: 1,000 windows cost 1,000 sequential round trips while the lane waited.
/// </summary>
internal sealed class SampledDataWindowReads
{
    private readonly Dictionary<string, WindowRead> _reads;

    private SampledDataWindowReads(Dictionary<string, WindowRead> reads) => _reads = reads;

    /// <summary>The read of window <paramref name="id"/>; every window of the batch was read.</summary>
    public WindowRead this[string id] => _reads[id];

    /// <summary>
    /// Reads the windows of <paramref name="batch"/>. Null reads with a failure: the request as a whole failed, classified
    /// as that one GET's failure was; a failed read of one window is in its <see cref="WindowRead.Failure"/> instead,
    /// reported when the sink reaches that window's record, so the batch fails for the same first reason as before.
    /// </summary>
    public static async Task<(SampledDataWindowReads? Reads, SendFailureDetails? Failure)> ReadAsync(
        FhirClient client, IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        List<string>? ids = null;
        var reads = new Dictionary<string, WindowRead>(StringComparer.Ordinal);
        foreach (OutboxRecord record in batch)
        {
            if (record.Kind == OutboxKind.SampledDataWindow && reads.TryAdd(record.ResourceId, default))
            {
                (ids ??= []).Add(record.ResourceId);
            }
        }

        if (ids is null)
        {
            return (new SampledDataWindowReads(reads), null);
        }

        if (ids.Count == 1)
        {
            // One window: the plain read is the one round trip, and a server without batch support still serves it (a
            // refused batch is InvalidInput, so the sink isolates the records and each one comes back through here).
            return (await ReadEachAsync(client, ids, reads, cancellationToken).ConfigureAwait(false), null);
        }

        FhirResponse response = await client.ReadBatchAsync("Observation", ids, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == NotImplemented)
        {
            // A server that does not implement batch (http.html#transaction is optional) says 501: retrying the batch
            // would never succeed, so the windows are read one by one, as before batch reads existed.
            return (await ReadEachAsync(client, ids, reads, cancellationToken).ConfigureAwait(false), null);
        }

        if (!response.IsSuccess)
        {
            return (null, FhirFailureDetails.From(response));
        }

        IReadOnlyList<FhirBundleEntryResponse> entries;
        try
        {
            entries = response.GetEntryResponses();
        }
        catch (FormatException ex)
        {
            return (null, Unreadable(ex.Message));
        }

        // R4 http.html#transaction-response: one response entry per request entry, in the same order.
        if (entries.Count != ids.Count)
        {
            return (null, Unreadable($"{entries.Count} entries answer {ids.Count} reads"));
        }

        for (int i = 0; i < ids.Count; i++)
        {
            FhirBundleEntryResponse entry = entries[i];
            reads[ids[i]] = entry.FailureKind switch
            {
                FhirFailureKind.NotFound => WindowRead.Missing,
                FhirFailureKind.None when !entry.Resource.IsEmpty => Found(entry, ids[i], i),
                FhirFailureKind.None => WindowRead.Failed(Unreadable($"entry {i} ({entry.StatusText}) holds no resource")),
                _ => WindowRead.Failed(FhirFailureDetails.From(entry)),
            };
        }

        return (new SampledDataWindowReads(reads), null);
    }

    private const int NotImplemented = 501;

    /// <summary>
    /// A found entry, checked: the resource must be the window asked for (entries answer by position only), and its
    /// version must be known, since the merged PUT is guarded by it. The entry's etag names it
    /// (bundle-definitions.html#Bundle.entry.response.etag, optional); without one, the resource's meta.versionId does,
    /// as the ETag header of a read would (http.html#versioning).
    /// </summary>
    private static WindowRead Found(FhirBundleEntryResponse entry, string id, int index)
    {
        (string? resourceId, string? versionId) = ResourceIdentity.Read(entry.Resource.Span);
        if (!string.Equals(resourceId, id, StringComparison.Ordinal))
        {
            return WindowRead.Failed(Unreadable($"entry {index} holds Observation '{resourceId}' where '{id}' was read"));
        }

        string? etag = entry.ETag ?? (versionId is null ? null : $"W/\"{versionId}\"");
        return WindowRead.Read(entry.Resource, etag);
    }

    /// <summary>Each window by a plain GET, one after another.</summary>
    private static async Task<SampledDataWindowReads> ReadEachAsync(
        FhirClient client, List<string> ids, Dictionary<string, WindowRead> reads, CancellationToken cancellationToken)
    {
        foreach (string id in ids)
        {
            FhirResponse single = await client.ReadAsync("Observation", id, cancellationToken).ConfigureAwait(false);
            reads[id] = single.FailureKind == FhirFailureKind.NotFound ? WindowRead.Missing
                : single.IsSuccess ? WindowRead.Read(single.Body, single.ETag)
                : WindowRead.Failed(FhirFailureDetails.From(single));
        }

        return new SampledDataWindowReads(reads);
    }

    // The server's answer, not the data, is at fault: retried like any other lost read.
    private static SendFailureDetails Unreadable(string why) =>
        new(SinkFailureKind.Transient, "The batch-response to the SampledData window reads is unreadable: " + why);
}
