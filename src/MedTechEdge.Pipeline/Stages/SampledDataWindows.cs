using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>
/// The open SampledData windows (<c>open_window</c>, owned by Map): each batch's SampledData groups are merged into
/// their window inside the batch's transaction, as values through the mapping's merge (no Observation is written and
/// parsed back); a window is copied to the outbox once per flush interval and when it closes, so the FHIR server sees
/// one write per window per interval instead of one per device message (medtech-semantics §7).
/// </summary>
internal sealed class SampledDataWindows(MedTechStore store, FhirMapping mapping, PipelineOptions options)
{
    private readonly List<WindowRecord> _due = [];
    private DateTime _nextCheck;
    private long _flushed;

    /// <summary>Window writes copied to the outbox since start (one per window per flush).</summary>
    public long FlushedCount => Interlocked.Read(ref _flushed);

    /// <summary>
    /// Merges a <see cref="OutboxKind.SampledDataWindow"/> record into its open window, inside the caller's transaction. Null
    /// when it joined (or opened) its window; otherwise the Observation to write as it is, because it cannot join (the
    /// template changed its value type): the sink then merges it with the server's copy, or dead-letters it with the reason.
    /// </summary>
    public FhirResource? Merge(SqliteConnection connection, SqliteTransaction transaction, MappedRecord record, DateTime now)
    {
        (string System, string Value, string Id)? identity = mapping.ObservationIdentity(record.Group!, record.References!);
        WindowRecord? window = identity is { } known ? WindowTable.Find(connection, transaction, known.Id) : null;
        if (window is null)
        {
            mapping.CreateObservation(record.Group!, record.References!, now, out FhirResource? observation);
            WindowTable.Save(connection, transaction, new WindowRecord
            {
                ResourceId = observation!.Id,
                DeviceId = record.DeviceId,
                PatientId = record.PatientId,
                EncounterId = record.EncounterId,
                Body = observation.Json,
                ClosesUtc = record.WindowCloses,
                UpdatedUtc = now,
                DirtySinceUtc = now,
            });
            return null;
        }

        // Until the window is first written, its Observation is still the original, not an amendment (§7.3 step 4).
        if (mapping.MergeObservation(record.Group!, window.Body, out byte[]? merged, amend: window.Flushed) is not null)
        {
            mapping.CreateObservation(record.Group!, record.References!, now, out FhirResource? observation);
            return observation;
        }

        if (merged is not null)
        {
            window.Body = merged;
            window.UpdatedUtc = now;
            window.DirtySinceUtc ??= now;
            WindowTable.Save(connection, transaction, window);
        }

        return null;
    }

    /// <summary>
    /// Copies due windows to the outbox, in one transaction: those whose oldest unwritten data has waited a flush
    /// interval, and those that just closed. Looks at most once a second, or a quarter of the interval when that is
    /// shorter. Returns how many it copied.
    /// </summary>
    /// <param name="force">Every window with unwritten data is due, whatever its age (an operator's flush).</param>
    public async Task<int> FlushAsync(SqliteConnection connection, DateTime now, CancellationToken cancellationToken, bool force = false)
    {
        if (now < _nextCheck && !force)
        {
            return 0;
        }

        TimeSpan interval = options.SampledDataFlushInterval;
        _nextCheck = now + TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, Math.Max(1, interval.Ticks / 4)));
        _due.Clear();
        await store.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            WindowTable.ReadDue(connection, transaction, now, force ? TimeSpan.Zero : interval, _due);
            if (_due.Count > 0)
            {
                using var insert = new OutboxInsert(connection, transaction);
                foreach (WindowRecord window in _due)
                {
                    insert.Insert(new OutboxRecord
                    {
                        CreatedUtc = now,
                        DeviceId = window.DeviceId,
                        Kind = OutboxKind.SampledDataWindow,
                        PatientId = window.PatientId,
                        EncounterId = window.EncounterId,
                        ResourceType = "Observation",
                        ResourceId = window.ResourceId,
                        Body = window.Body,
                        // open_window keeps no device time: read from the body once per flush, not per message.
                        DeviceTimeUtc = PipelineMetrics.TryReadDeviceTime(window.Body, out DateTime deviceTime) ? deviceTime : null,
                    });
                    window.DirtySinceUtc = null;
                    window.Flushed = true;
                    WindowTable.Save(connection, transaction, window);
                }
            }

            // A closed window stays one interval for late data; one without data for an hour (a correlation id) is finished.
            WindowTable.DeleteFinished(connection, transaction, now, interval, TimeSpan.FromHours(1));
            transaction.Commit();
        }
        finally
        {
            store.WriteLock.Release();
        }

        Interlocked.Add(ref _flushed, _due.Count);
        return _due.Count;
    }
}
