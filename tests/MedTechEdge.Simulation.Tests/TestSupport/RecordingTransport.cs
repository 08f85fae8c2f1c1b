using System.Collections.Concurrent;

namespace MedTechEdge.Simulation.Tests.TestSupport;

/// <summary>A message as the transport received it; the bytes are copied because the simulation reuses its buffer.</summary>
internal sealed record SentMessage(string DeviceId, byte[] Json, DateTimeOffset SentAt)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Json);
}

/// <summary>
/// An in-memory <see cref="IDeviceMessageTransport"/>: records every message with the clock's time, refuses connections
/// while <see cref="Reachable"/> is false, and can drop a device's connection on demand. It stands in for any transport
/// the simulation does not know, as a module output will.
/// </summary>
internal sealed class RecordingTransport(TimeProvider clock) : IDeviceMessageTransport
{
    private readonly ConcurrentQueue<SentMessage> _messages = new();
    private readonly ConcurrentDictionary<string, bool> _connected = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _arrived = new(0);

    public string Destination => "memory://recording";

    public volatile bool Reachable = true;

    public IReadOnlyCollection<SentMessage> Messages => _messages;

    public int ConnectAttempts;

    public ValueTask<bool> ConnectAsync(string deviceId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref ConnectAttempts);
        if (!Reachable)
        {
            return ValueTask.FromResult(false);
        }

        _connected[deviceId] = true;
        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> SendAsync(string deviceId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        if (!IsConnected(deviceId))
        {
            return ValueTask.FromResult(false);
        }

        _messages.Enqueue(new SentMessage(deviceId, json.ToArray(), clock.GetUtcNow()));
        _arrived.Release();
        return ValueTask.FromResult(true);
    }

    public bool IsConnected(string deviceId) => _connected.TryGetValue(deviceId, out bool connected) && connected;

    /// <summary>The device's next send fails as with a lost connection.</summary>
    public void Drop(string deviceId) => _connected[deviceId] = false;

    public ValueTask DisconnectAsync(string deviceId, CancellationToken cancellationToken)
    {
        _connected.TryRemove(deviceId, out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Waits until <paramref name="count"/> messages in total have arrived.</summary>
    public async Task WaitForAsync(int count)
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Default);
        while (_messages.Count < count)
        {
            await _arrived.WaitAsync(cts.Token);
        }
    }
}

internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(20);
}
