namespace MedTechEdge.EventHubs.Tests;

/// <summary>A clock the test moves, so token expiry is tested without waiting an hour.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
