using MedTechEdge.Pipeline;
using MedTechEdge.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Hosting;

/// <summary>
/// On stop, waits (up to <see cref="PipelineOptions.DrainOnStop"/>) while Map and Persist deliver what the store holds.
/// Registered after the stages and before the ingresses, so the host stops it after every ingress has stopped taking
/// data and before the stages stop: a cloud instance leaving on scale-in hands over an empty store, and what it could
/// not deliver in time stays in the store for the next start.
/// </summary>
internal sealed partial class StoreDrain(MedTechStore store, PipelineSignals signals, PipelineOptions options, TimeProvider clock, ILogger<StoreDrain> logger) : IHostedService
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (options.DrainOnStop <= TimeSpan.Zero)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(options.DrainOnStop, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        using Microsoft.Data.Sqlite.SqliteConnection connection = store.OpenConnection();
        StoreBacklog backlog = StoreGauges.Read(connection);
        LogDraining(logger, backlog.Inbox, backlog.Outbox);
        try
        {
            await WaitAsync(connection, inboxOnly: true, linked.Token).ConfigureAwait(false);
            // The windows' unwritten values go to the outbox now instead of at their flush interval.
            await signals.RequestWindowFlushAsync().WaitAsync(linked.Token).ConfigureAwait(false);
            await WaitAsync(connection, inboxOnly: false, linked.Token).ConfigureAwait(false);
            LogDrained(logger);
        }
        catch (OperationCanceledException)
        {
            backlog = StoreGauges.Read(connection);
            LogNotDrained(logger, options.DrainOnStop, backlog.Inbox, backlog.Outbox);
        }
    }

    private async Task WaitAsync(Microsoft.Data.Sqlite.SqliteConnection connection, bool inboxOnly, CancellationToken cancellationToken)
    {
        while (true)
        {
            StoreBacklog backlog = StoreGauges.Read(connection);
            if (backlog.Inbox == 0 && (inboxOnly || backlog.Outbox == 0))
            {
                return;
            }

            signals.Inbox.Set();
            signals.Outbox.Set();
            await Task.Delay(s_poll, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: draining the store ({Inbox} inbox, {Outbox} outbox rows) before the stages stop.")]
    private static partial void LogDraining(ILogger logger, long inbox, long outbox);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: the store is drained.")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: the store was not drained within Pipeline:DrainOnStop ({Limit}); {Inbox} inbox and {Outbox} outbox rows stay in the store for the next start.")]
    private static partial void LogNotDrained(ILogger logger, TimeSpan limit, long inbox, long outbox);
}
