using Azure;
using Azure.Identity;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>
/// Writes a batch to a FHIR server as one transaction Bundle of <c>PUT {type}/{id}</c> entries: one
/// round trip for many resources, all or nothing (FHIR R4 http.html#transaction). PUT with the
/// deterministic id makes a replay an update of the same resource (http.html#update), never a duplicate.
/// Observations that collect values over a period (SampledData) are merged into the server's copy
/// first (medtech-semantics §7) and written with <c>If-Match</c>, so a later batch of the same hour adds
/// to it instead of replacing it; a concurrent change makes the Bundle fail with 412, and the batch is
/// read and merged again on the retry. A batch's windows are read in one round trip (<see cref="SampledDataWindowReads"/>).
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
        SinkResult result = await WriteBundleAsync(batch, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccessful || batch.Count == 1 || result.Failed[0].Details.Kind is not (SinkFailureKind.InvalidInput or SinkFailureKind.ReferenceNotFound))
        {
            return result;
        }

        // A transaction Bundle is all or nothing (FHIR R4 http.html#transaction) and the server need not say which entry
        // it refused: write the records one by one, in order, to deliver the good ones and name the bad.
        return await IsolateAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SinkResult> IsolateAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        var succeeded = new List<OutboxRecord>(batch.Count);
        var failed = new List<SinkRecordFailure>();
        for (int i = 0; i < batch.Count; i++)
        {
            SinkResult single = await WriteBundleAsync([batch[i]], cancellationToken).ConfigureAwait(false);
            if (single.IsSuccessful)
            {
                succeeded.Add(batch[i]);
                continue;
            }

            SendFailureDetails details = single.Failed[0].Details;
            failed.Add(new SinkRecordFailure(batch[i], details));
            if (details.Kind == SinkFailureKind.InvalidInput)
            {
                // Never written, so nothing after it can overtake it.
                continue;
            }

            // Retried: the rest of the batch must not overtake it (the order contract of IResourceSink).
            var skipped = new SendFailureDetails(SinkFailureKind.NotAttempted, "Not sent: an earlier record of the batch is retried first.");
            for (int j = i + 1; j < batch.Count; j++)
            {
                failed.Add(new SinkRecordFailure(batch[j], skipped));
            }

            break;
        }

        return new SinkResult(succeeded, failed);
    }

    /// <summary>One transaction Bundle for the whole batch: every record written, or none, for one reason.</summary>
    private async Task<SinkResult> WriteBundleAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        // Entries by position; a second record for an Observation already in this Bundle is merged into
        // that entry rather than added, since two PUTs with the same If-Match cannot both succeed.
        var entries = new List<Entry>(batch.Count);
        var merging = new Dictionary<string, int>(StringComparer.Ordinal);
        FhirResponse response;
        try
        {
            SampledDataWindowReads? windows = null;
            if (_mapping is not null)
            {
                // Every window the batch merges into, read in one round trip before the first merge.
                (windows, SendFailureDetails? readFailure) = await SampledDataWindowReads.ReadAsync(_client, batch, cancellationToken).ConfigureAwait(false);
                if (readFailure is not null)
                {
                    return SinkResult.Failure(batch, readFailure);
                }
            }

            foreach (OutboxRecord record in batch)
            {
                if (windows is null || record.Kind != OutboxKind.SampledDataWindow)
                {
                    entries.Add(new Entry(record.ResourceType, record.ResourceId, record.Body, null));
                    continue;
                }

                SendFailureDetails? failure = AddMerged(record, windows[record.ResourceId], entries, merging);
                if (failure is not null)
                {
                    return SinkResult.Failure(batch, failure);
                }
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
                return new SinkResult(batch, []) { Saved = new SinkSaveCounts(0, 0, unchanged) };
            }

            response = await _client.TransactionAsync(bundle.Build(), cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess)
            {
                return Counted(response, batch, unchanged);
            }
        }
        catch (Exception ex) when (ex is AuthenticationFailedException or CredentialUnavailableException or RequestFailedException)
        {
            // No token: the identity service is unreachable or refuses the credentials. The data is fine and waits
            // while an operator fixes the settings. Any other exception is not expected here and reaches Persist.
            return SinkResult.Failure(batch, new SendFailureDetails(SinkFailureKind.Unauthorized, "Could not obtain an access token: " + ex.Message));
        }

        return SinkResult.Failure(batch, FhirFailureDetails.From(response));
    }

    /// <summary>
    /// Success with what the server did: 201 entries were created, the rest of the batch updated (a second record of
    /// the same Observation was merged into its entry). A response without readable entries says nothing: null counts.
    /// </summary>
    private static SinkResult Counted(FhirResponse response, IReadOnlyList<OutboxRecord> batch, int unchanged)
    {
        int records = batch.Count;
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
            return SinkResult.Success(batch);
        }

        return new SinkResult(batch, []) { Saved = new SinkSaveCounts(created, records - created - unchanged, unchanged) };
    }

    /// <summary>
    /// Adds the record's window to the Bundle: the record itself when the server has no copy (404), else the server's copy
    /// merged with it and written with <c>If-Match</c> on the ETag read (FHIR R4 http.html#concurrency). A second record
    /// of a window already in the Bundle merges into that entry, since two PUTs with the same If-Match cannot both succeed.
    /// </summary>
    private SendFailureDetails? AddMerged(OutboxRecord record, WindowRead existing, List<Entry> entries, Dictionary<string, int> merging)
    {
        if (merging.TryGetValue(record.ResourceId, out int index))
        {
            Entry pending = entries[index];
            // The pending entry is either the server's copy merged, or (404) the first record itself.
            ReadOnlySpan<byte> basis = pending.Body is { } body ? body : pending.Original.Span;
            string? error = _mapping!.MergeObservationJson(basis, record.Body, out byte[]? again)?.Message;
            if (error is not null)
            {
                return new SendFailureDetails(SinkFailureKind.InvalidInput, error);
            }

            if (again is not null)
            {
                entries[index] = pending with { Body = again };
            }

            return null;
        }

        merging[record.ResourceId] = entries.Count;
        if (existing.Failure is { } failed)
        {
            return failed;
        }

        if (!existing.Found)
        {
            entries.Add(new Entry("Observation", record.ResourceId, record.Body, null));
            return null;
        }

        string? mergeError = _mapping!.MergeObservationJson(existing.Resource.Span, record.Body, out byte[]? merged)?.Message;
        if (mergeError is not null)
        {
            return new SendFailureDetails(SinkFailureKind.InvalidInput, mergeError);
        }

        // Nothing new: no write (the service's ObservationNoOperation), but keep the server's copy as the basis for later records.
        entries.Add(new Entry("Observation", record.ResourceId, merged, existing.ETag) { Original = existing.Resource });
        return null;
    }

    private sealed record Entry(string Type, string Id, byte[]? Body, string? IfMatch)
    {
        /// <summary>The server's copy as read, when <see cref="Body"/> is null because the merge changed nothing.</summary>
        public ReadOnlyMemory<byte> Original { get; init; }
    }
}
