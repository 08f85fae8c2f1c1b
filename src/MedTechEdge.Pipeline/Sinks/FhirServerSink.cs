using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>
/// Writes a batch to a FHIR server as one transaction Bundle of <c>PUT {type}/{id}</c> entries: one
/// round trip for many resources, all or nothing (FHIR R4 http.html#transaction). PUT with the
/// deterministic id makes a replay an update of the same resource (http.html#update), never a duplicate.
/// Observations that collect values over a period (SampledData) are merged into the server's copy
/// first (medtech-compat §7.3) and written with <c>If-Match</c>, so a later batch of the same hour adds
/// to it instead of replacing it; a concurrent change makes the Bundle fail with 412, and the batch is
/// read and merged again on the retry.
/// </summary>
public sealed class FhirServerSink : IResourceSink
{
    private readonly FhirClient _client;
    private readonly FhirMapping? _mapping;

    /// <summary>Creates the sink over a configured client.</summary>
    /// <param name="client">The FHIR client.</param>
    /// <param name="mapping">The FHIR mapping, to merge SampledData Observations; null writes every resource as it is.</param>
    public FhirServerSink(FhirClient client, FhirMapping? mapping = null)
    {
        _client = client;
        _mapping = mapping;
    }

    /// <inheritdoc/>
    public string Name => "fhir";

    /// <inheritdoc/>
    public async Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // Entries by position; a second record for an Observation already in this Bundle is merged into
        // that entry rather than added, since two PUTs with the same If-Match cannot both succeed.
        var entries = new List<Entry>(batch.Count);
        var merging = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            foreach (OutboxRecord record in batch)
            {
                if (_mapping is null || record.Kind != OutboxKind.SampledDataWindow)
                {
                    entries.Add(new Entry(record.ResourceType, record.ResourceId, record.Body, null));
                    continue;
                }

                SinkResult? failure = await AddMergedAsync(record, entries, merging, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    return failure;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Reading the server's copy needs a token too; a failure here is transient like any other.
            return new SinkResult(SinkOutcome.Transient, "Could not read the server's copy for a merge: " + ex.Message);
        }

        using var bundle = new FhirTransactionBuilder(FhirBundleType.Transaction);
        foreach (Entry entry in entries)
        {
            if (entry.Body is not null)
            {
                bundle.AddPut(entry.Type, entry.Id, entry.Body, entry.IfMatch);
            }
        }

        int unchanged = entries.Count - bundle.Count;
        if (bundle.Count == 0)
        {
            return new SinkResult(SinkOutcome.Succeeded) { Saved = new SinkSaveCounts(0, 0, unchanged) };
        }

        FhirResponse response;
        try
        {
            response = await _client.TransactionAsync(bundle.Build(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // No token (identity service unreachable, or credentials refused): the data is fine and
            // waits in the outbox; the reason is logged by the Persist stage.
            return new SinkResult(SinkOutcome.Transient, "Could not obtain an access token: " + ex.Message);
        }

        SinkResult result = Outcome(response);
        return result.Outcome == SinkOutcome.Succeeded ? Counted(response, batch.Count, unchanged) : result;
    }

    /// <summary>
    /// Success with what the server did: 201 entries were created, the rest of the batch updated (a second record of
    /// the same Observation was merged into its entry). A response without readable entries says nothing: null counts.
    /// </summary>
    private static SinkResult Counted(FhirResponse response, int records, int unchanged)
    {
        int created = 0;
        try
        {
            foreach (FhirBundleEntryResponse entry in response.GetEntryResponses())
            {
                if (entry.StatusCode == 201)
                {
                    created++;
                }
            }
        }
        catch (FormatException)
        {
            return SinkResult.Success;
        }

        return new SinkResult(SinkOutcome.Succeeded) { Saved = new SinkSaveCounts(created, records - created - unchanged, unchanged) };
    }

    private async Task<SinkResult?> AddMergedAsync(OutboxRecord record, List<Entry> entries, Dictionary<string, int> merging, CancellationToken cancellationToken)
    {
        if (merging.TryGetValue(record.ResourceId, out int index))
        {
            Entry pending = entries[index];
            // The pending entry is either the server's copy merged, or (404) the first record itself.
            byte[] basis = pending.Body ?? pending.Original!;
            string? error = _mapping!.MergeObservationJson(basis, record.Body, out byte[]? again);
            if (error is not null)
            {
                return new SinkResult(SinkOutcome.Rejected, error);
            }

            if (again is not null)
            {
                entries[index] = pending with { Body = again };
            }

            return null;
        }

        FhirResponse existing = await _client.ReadAsync("Observation", record.ResourceId, cancellationToken).ConfigureAwait(false);
        merging[record.ResourceId] = entries.Count;
        if (existing.FailureKind == FhirFailureKind.NotFound)
        {
            entries.Add(new Entry("Observation", record.ResourceId, record.Body, null));
            return null;
        }

        if (!existing.IsSuccess)
        {
            return Outcome(existing);
        }

        string? mergeError = _mapping!.MergeObservationJson(existing.Body.Span, record.Body, out byte[]? merged);
        if (mergeError is not null)
        {
            return new SinkResult(SinkOutcome.Rejected, mergeError);
        }

        // Nothing new: no write (the service's ObservationNoOperation), but keep the server's copy as the basis for later records.
        entries.Add(new Entry("Observation", record.ResourceId, merged, existing.ETag) { Original = existing.Body.ToArray() });
        return null;
    }

    private static SinkResult Outcome(FhirResponse response) => response.FailureKind switch
    {
        FhirFailureKind.None => SinkResult.Success,
        // The request itself is wrong: the same content will never be accepted.
        FhirFailureKind.Invalid => new SinkResult(SinkOutcome.Rejected, Describe(response)),
        // Outages, throttling, expired credentials, a misrouted base URL, version races (412 on a stale
        // If-Match): the data is fine and stays in the outbox until the server takes it.
        _ => new SinkResult(SinkOutcome.Transient, Describe(response)),
    };

    private static string Describe(FhirResponse response) =>
        response.TransportError is { } transport
            ? $"{response.FailureKind}: {transport.Message}"
            : $"HTTP {response.StatusCode} {response.FailureKind}: {response.Outcome?.ToString() ?? "no OperationOutcome"}";

    private sealed record Entry(string Type, string Id, byte[]? Body, string? IfMatch)
    {
        public byte[]? Original { get; init; }
    }
}
