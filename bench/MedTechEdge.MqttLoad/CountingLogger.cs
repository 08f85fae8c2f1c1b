using MedTechEdge.Mqtt.Server;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.MqttLoad;

/// <summary>Counts the broker's log lines per level, for the flood case's "how many Warning lines" figure; writes nothing.</summary>
internal sealed class CountingLogger : ILogger<MqttServer>
{
    private readonly long[] _counts = new long[(int)LogLevel.None + 1];

    public long Count(LogLevel level) => Interlocked.Read(ref _counts[(int)level]);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Interlocked.Increment(ref _counts[(int)logLevel]);
}
