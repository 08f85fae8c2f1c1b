using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>
/// Applies the store's age policy once a minute when <see cref="StoreOptions.MaxAge"/> is set. What it
/// removes is counted and logged as a warning: it is data that was acknowledged and never delivered.
/// </summary>
public sealed partial class RetentionService(MedTechStore store, TimeProvider clock, ILogger<RetentionService> logger) : BackgroundService
{
    private long _expiredCount;

    /// <summary>Rows removed by the age policy since start.</summary>
    public long ExpiredCount => Interlocked.Read(ref _expiredCount);

    /// <summary>How often the policy runs.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan maxAge = store.Options.MaxAge;
        if (maxAge <= TimeSpan.Zero)
        {
            return;
        }

        using SqliteConnection connection = store.OpenConnection();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                DateTime cutoff = clock.GetUtcNow().UtcDateTime - maxAge;
                (long inbox, long outbox) = await StoreRetention.RemoveOlderThanAsync(store, connection, cutoff, stoppingToken).ConfigureAwait(false);
                if (inbox + outbox > 0)
                {
                    Interlocked.Add(ref _expiredCount, inbox + outbox);
                    LogExpired(inbox, outbox, maxAge);
                }

                await Task.Delay(Interval, clock, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: removed {Inbox} device message(s) and {Outbox} resource(s) older than {MaxAge} that were never delivered (MedTechEdge:Store:MaxAge).")]
    private partial void LogExpired(long inbox, long outbox, TimeSpan maxAge);
}
