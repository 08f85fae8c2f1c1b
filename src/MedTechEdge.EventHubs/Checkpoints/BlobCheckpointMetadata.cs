using System.Globalization;
using Azure.Messaging.EventHubs.Consumer;

namespace MedTechEdge.EventHubs.Checkpoints;

/// <summary>Reads and writes the metadata of a checkpoint blob in the SDKs' format (<see cref="BlobCheckpointLayout"/>).</summary>
/// <remarks>
/// Positioning follows the .NET SDK's store (BlobCheckpointStoreInternal.CreateCheckpoint): the offset when there is
/// one, else the sequence number, both exclusive (resume after the checkpointed event). 5.12 marks sequence-number-only
/// checkpoints obsolete ("does not guarantee that a sequence number-only checkpoint can access the event stream for all
/// resource configurations"), so the offset comes first. Unlike the SDK, an offset is trusted only when it is a decimal
/// number, what hubs write: anything else would go to the service in a filter it refuses, again and again, and the
/// partition would be stuck. Writers put both values, as the SDK does, so every reader finds what it looks for: KEDA
/// and the Node store parse <c>sequencenumber</c>, the Node store requires <c>offset</c> to be present.
/// </remarks>
internal static class BlobCheckpointMetadata
{
    // Written by older SDKs when a checkpoint had no offset (BlobCheckpointStoreInternal.NoOffsetPlaceholderText).
    private const string NoOffsetPlaceholder = "no offset";

    /// <summary>The metadata for a checkpoint; empty strings for what the caller does not have, as the SDK writes.</summary>
    public static Dictionary<string, string> Create(string? offset, long? sequenceNumber, string? clientIdentifier)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BlobCheckpointLayout.OffsetKey] = offset ?? string.Empty,
            // long.MinValue is CheckpointPosition's "no sequence number"; the SDK writes it as empty, so do we.
            [BlobCheckpointLayout.SequenceNumberKey] = sequenceNumber is { } number && number != long.MinValue
                ? number.ToString(CultureInfo.InvariantCulture)
                : string.Empty,
        };
        if (!string.IsNullOrEmpty(clientIdentifier))
        {
            metadata[BlobCheckpointLayout.ClientIdentifierKey] = clientIdentifier;
        }

        return metadata;
    }

    /// <summary>
    /// Reads a checkpoint blob's metadata. Both values written empty is a cleared checkpoint (the SDK's
    /// <c>new CheckpointPosition()</c>): no position and no problem. A key missing, or no value that is a number, is a
    /// problem.
    /// </summary>
    public static BlobCheckpointReading Read(IDictionary<string, string> metadata)
    {
        // Metadata names are case-insensitive in Blob Storage; the storage SDK's dictionary may not be.
        string? sequenceText = Find(metadata, BlobCheckpointLayout.SequenceNumberKey);
        string? offsetText = Find(metadata, BlobCheckpointLayout.OffsetKey);
        string? clientIdentifier = Find(metadata, BlobCheckpointLayout.ClientIdentifierKey);

        long? sequenceNumber = long.TryParse(sequenceText, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed)
            && parsed != long.MinValue ? parsed : null;
        string? offset = offsetText is { Length: > 0 } && !offsetText.Equals(NoOffsetPlaceholder, StringComparison.OrdinalIgnoreCase)
            && long.TryParse(offsetText, NumberStyles.Integer, CultureInfo.InvariantCulture, out long offsetNumber) && offsetNumber >= 0
            ? offsetText : null;

        if (offset is not null)
        {
            return new BlobCheckpointReading(EventPosition.FromOffset(offset, isInclusive: false), offset, sequenceNumber, clientIdentifier, null);
        }

        if (sequenceNumber is { } sequence)
        {
            return new BlobCheckpointReading(EventPosition.FromSequenceNumber(sequence, isInclusive: false), null, sequence, clientIdentifier, null);
        }

        if (sequenceText is { Length: 0 } && offsetText is { Length: 0 })
        {
            return new BlobCheckpointReading(null, null, null, clientIdentifier, null);
        }

        return new BlobCheckpointReading(null, null, null, clientIdentifier, Describe(sequenceText, offsetText));
    }

    private static string Describe(string? sequenceText, string? offsetText) =>
        string.Create(CultureInfo.InvariantCulture,
            $"its metadata has no usable position ({BlobCheckpointLayout.SequenceNumberKey}: {Quote(sequenceText)}, {BlobCheckpointLayout.OffsetKey}: {Quote(offsetText)})");

    // Metadata values are short and written by processors, not secrets; cap them anyway so a log line stays a line.
    private static string Quote(string? value) => value switch
    {
        null => "missing",
        { Length: > 40 } => "\"" + value[..40] + "…\"",
        _ => "\"" + value + "\"",
    };

    private static string? Find(IDictionary<string, string> metadata, string key)
    {
        if (metadata.TryGetValue(key, out string? value))
        {
            return value;
        }

        foreach (KeyValuePair<string, string> pair in metadata)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return null;
    }
}
