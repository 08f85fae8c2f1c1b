using Microsoft.Extensions.Logging;

namespace MedTechEdge.Hosting;

/// <summary>
/// Keeps the last warning or error the module logged, for status (twin reported properties, <c>GetStatus</c>).
/// Messages at these levels never carry payloads or patient ids, so they may leave the box.
/// </summary>
internal sealed class LastErrorLog : ILoggerProvider
{
    private LastError? _last;

    /// <summary>The last warning or error, or null.</summary>
    public LastError? Last => Volatile.Read(ref _last);

    // Only the module's own categories: their messages follow the rule above; a framework's (the host's) are
    // not written with the twin's readers in mind.
    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("MedTechEdge.", StringComparison.Ordinal) ? new Logger(this, categoryName) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Logger(LastErrorLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Warning)
            {
                return;
            }

            string message = formatter(state, exception);
            Volatile.Write(ref owner._last, new LastError(DateTime.UtcNow, logLevel, category, exception is null ? message : message + " " + exception.Message));
        }
    }
}

/// <summary>One logged warning or error.</summary>
internal sealed record LastError(DateTime TimeUtc, LogLevel Level, string Category, string Message);
