using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>
/// What one pass of <see cref="BatchMapper"/> made of a batch of device messages: one list of records in the order
/// they must be written, the dead letters, and per message what became of it. Reused from batch to batch.
/// </summary>
internal sealed class MappedBatch
{
    /// <summary>A message that became a dead letter, in <see cref="Measured"/>.</summary>
    public const int DeadLettered = -1;

    /// <summary>A message that matched no template, in <see cref="Measured"/>.</summary>
    public const int Unmatched = -2;

    /// <summary>Records to write, identity resources ahead of what references them.</summary>
    public List<MappedRecord> Records { get; } = [];

    /// <summary>Messages that can never succeed as they are, with the reason.</summary>
    public List<DeadLetter> DeadLetters { get; } = [];

    /// <summary>Beside each message of the batch: its measurement count, or <see cref="DeadLettered"/>, or <see cref="Unmatched"/>.</summary>
    public List<int> Measured { get; } = [];

    /// <summary>Messages normalized without error (matched or not).</summary>
    public int Normalized { get; set; }

    /// <summary>Measurements the device mapping produced (also of messages dead-lettered later in mapping).</summary>
    public int Measurements { get; set; }

    /// <summary>Observation groups made.</summary>
    public int Groups { get; set; }

    /// <summary>Messages that matched no template.</summary>
    public int UnmatchedCount { get; set; }

    /// <summary>True when some device's identity is not resolved yet: the batch is to be mapped again once it is.</summary>
    public bool IdentityPending { get; set; }

    /// <summary>True when mapping the batch threw: nothing of it is to be committed; its messages are mapped again one at a time.</summary>
    public bool Faulted { get; set; }

    /// <summary>Empties it for the next pass.</summary>
    public void Clear()
    {
        Faulted = false;
        Records.Clear();
        DeadLetters.Clear();
        Measured.Clear();
        Normalized = Measurements = Groups = UnmatchedCount = 0;
        IdentityPending = false;
    }
}
