using System.Collections.Concurrent;
using MedTechEdge.Mqtt.Server;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Mqtt.Tests.TestSupport;

/// <summary>Keeps every formatted log line (with exception text), to assert what the broker does and does not log.</summary>
internal sealed class RecordingLogger : ILogger<MqttServer>
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public string AllText => string.Join(Environment.NewLine, _lines);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
    }
}
