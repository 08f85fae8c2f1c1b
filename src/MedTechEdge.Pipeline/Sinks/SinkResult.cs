using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>
/// The outcome of a batch write, per record (the shape of edgeHub's <c>ISinkResult</c>): the records written, and the
/// records not written, each with why. Every record of the batch is in exactly one of the two lists.
/// </summary>
public sealed class SinkResult
{
    private static readonly SinkRecordFailure[] s_noFailures = [];

    /// <summary>Creates a result from its two lists.</summary>
    public SinkResult(IReadOnlyList<OutboxRecord> succeeded, IReadOnlyList<SinkRecordFailure> failed)
    {
        Succeeded = succeeded;
        Failed = failed;
    }

    /// <summary>The records written, in batch order.</summary>
    public IReadOnlyList<OutboxRecord> Succeeded { get; }

    /// <summary>The records not written, in batch order, each with why.</summary>
    public IReadOnlyList<SinkRecordFailure> Failed { get; }

    /// <summary>True when every record was written.</summary>
    public bool IsSuccessful => Failed.Count == 0;

    /// <summary>On success from a FHIR server: how many resources it created, updated or left unchanged; null when the sink cannot tell.</summary>
    public SinkSaveCounts? Saved { get; init; }

    /// <summary>Every record of <paramref name="batch"/> written.</summary>
    public static SinkResult Success(IReadOnlyList<OutboxRecord> batch) => new(batch, s_noFailures);

    /// <summary>No record of <paramref name="batch"/> written, all for the same reason.</summary>
    public static SinkResult Failure(IReadOnlyList<OutboxRecord> batch, SendFailureDetails details) => Split(batch, 0, details);

    /// <summary>
    /// The first <paramref name="written"/> records of <paramref name="batch"/> written, the rest not, for the same
    /// reason: a sink that sends in order and stops at the first failure.
    /// </summary>
    public static SinkResult Split(IReadOnlyList<OutboxRecord> batch, int written, SendFailureDetails details)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var succeeded = new OutboxRecord[written];
        var failed = new SinkRecordFailure[batch.Count - written];
        for (int i = 0; i < batch.Count; i++)
        {
            if (i < written)
            {
                succeeded[i] = batch[i];
            }
            else
            {
                failed[i - written] = new SinkRecordFailure(batch[i], details);
            }
        }

        return new SinkResult(succeeded, failed);
    }
}

/// <summary>A record a sink did not write, and why.</summary>
/// <param name="Record">The record.</param>
/// <param name="Details">Why.</param>
public readonly record struct SinkRecordFailure(OutboxRecord Record, SendFailureDetails Details);

/// <summary>What a FHIR server did with a batch, from its transaction-response (FHIR R4 Bundle.entry.response.status).</summary>
/// <param name="Created">Entries answered 201.</param>
/// <param name="Updated">Entries answered 200 (or another 2xx).</param>
/// <param name="Unchanged">Records not sent because they added nothing to the server's copy (the service's no-op).</param>
public readonly record struct SinkSaveCounts(int Created, int Updated, int Unchanged);
