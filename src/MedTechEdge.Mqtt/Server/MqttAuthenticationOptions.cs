namespace MedTechEdge.Mqtt.Server;

/// <summary>
/// Limits on password authentication, so that a flood of CONNECTs with wrong passwords (each one a PBKDF2 run) cannot
/// take the CPU from connected devices (docs/mqtt.md, "Authentication under attack").
/// </summary>
public sealed class MqttAuthenticationOptions
{
    /// <summary>
    /// Password hashes computed at once, each on a dedicated thread off the I/O thread pool. Default: half the cores,
    /// at least one. A flood from many addresses gets past the per-address backoff and keeps every verifier busy;
    /// with one per core it would take the whole CPU of a 2-core gateway from the connected devices.
    /// </summary>
    public int MaxConcurrentVerifications { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>CONNECTs that may wait for a verification slot; beyond this they are refused at once with 0x89 Server busy (3.1.1: 3 Server unavailable).</summary>
    public int MaxQueuedVerifications { get; set; } = 64;

    /// <summary>
    /// Failed CONNECTs from one source address within <see cref="FailureWindow"/> before that address is backed off
    /// (checks in progress count too). After a backoff, while failures continue, one more failure backs it off again.
    /// </summary>
    public int FailuresBeforeBackoff { get; set; } = 5;

    /// <summary>The window in which failures of one address are counted.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The first backoff of an address; each further one while its failures continue doubles it, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest backoff.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Successful verifications remembered (user, password digest, stored hash); 0 turns the cache off.</summary>
    public int SuccessCacheSize { get; set; } = 1024;

    /// <summary>How long a remembered verification stands in for PBKDF2.</summary>
    public TimeSpan SuccessCacheLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Refused CONNECTs are logged as one Warning per source address per interval, with a count.</summary>
    public TimeSpan FailureLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A refused password (or a backed-off address) gets its CONNACK after this pause: a client that waits for the answer,
    /// as most do, then tries at most about once per pause per connection. Costs the server a timer, not a thread.
    /// </summary>
    public TimeSpan FailureResponseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    internal void Validate()
    {
        Require(MaxConcurrentVerifications >= 1, nameof(MaxConcurrentVerifications), "at least 1");
        Require(MaxQueuedVerifications >= 0, nameof(MaxQueuedVerifications), "0 or more");
        Require(FailuresBeforeBackoff >= 1, nameof(FailuresBeforeBackoff), "at least 1");
        Require(FailureWindow > TimeSpan.Zero, nameof(FailureWindow), "positive");
        Require(FirstBackoff > TimeSpan.Zero && MaxBackoff >= FirstBackoff, nameof(FirstBackoff), "positive and at most MaxBackoff");
        Require(SuccessCacheSize >= 0, nameof(SuccessCacheSize), "0 or more");
        Require(SuccessCacheLifetime >= TimeSpan.Zero, nameof(SuccessCacheLifetime), "0 or more");
        Require(FailureLogInterval > TimeSpan.Zero, nameof(FailureLogInterval), "positive");
        Require(FailureResponseDelay >= TimeSpan.Zero, nameof(FailureResponseDelay), "0 or more");
    }

    private static void Require(bool condition, string name, string expectation)
    {
        if (!condition)
        {
            throw new ArgumentException($"Authentication:{name} must be {expectation}.", nameof(MqttServerOptions.Authentication));
        }
    }
}
