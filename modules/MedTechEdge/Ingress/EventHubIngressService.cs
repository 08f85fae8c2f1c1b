using Azure.Messaging.EventHubs.Primitives;
using Azure.Storage.Blobs;
using MedTechEdge.Configuration;
using MedTechEdge.EventHubs;
using MedTechEdge.EventHubs.Checkpoints;
using MedTechEdge.EventHubs.Ingress;
using MedTechEdge.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Ingress;

/// <summary>
/// Runs the Event Hubs ingress for the module's lifetime (<c>EventHubIngress:Enabled</c>), with the SQLite checkpoint
/// store, or the Blob one when a container is given (created at start when missing). The host does not wait for the
/// hub: an unreachable hub or a refused sign-in at start is logged and tried again with a growing pause, as the SDK
/// itself retries once running, so a gateway that boots before its uplink still ingests once the hub answers.
/// </summary>
internal sealed partial class EventHubIngressService : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxRetry = TimeSpan.FromMinutes(1);

    private readonly EventHubIngress _ingress;
    private readonly CheckpointStore _checkpoints;
    private readonly BlobContainerClient? _container;
    private readonly TimeProvider _clock;
    private readonly ILogger<EventHubIngressService> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _starting = Task.CompletedTask;
    private volatile bool _started;

    public EventHubIngressService(EventHubsEndpoint endpoint, EventHubIngressSettings settings, BlobContainerClient? container, MedTechStore store, InboxWriter inbox, TimeProvider clock, ILoggerFactory loggers)
    {
        _container = container;
        _checkpoints = container is null ? new SqliteCheckpointStore(store, clock) : new BlobCheckpointStore(container);
        // One instance per SQLite store: its owner id follows the store, so after a crash it resumes its own claims at
        // once instead of waiting out their expiry.
        settings = settings.Identifier is null ? settings with { Identifier = OwnerIdOf(store) } : settings;
        _ingress = new EventHubIngress(endpoint, settings, _checkpoints, inbox, store, clock, loggers);
        _clock = clock;
        _logger = loggers.CreateLogger<EventHubIngressService>();
    }

    /// <summary>Events received per partition, partitions owned, checkpoint lag, ownership changes.</summary>
    public EventHubIngressMetrics Metrics => _ingress.Metrics;

    /// <summary>The hub's host name, the hub and the consumer group, for the dashboard (no secret).</summary>
    /// <summary>True once the processor started: the hub answered and took the settings (readiness).</summary>
    public bool IsStarted => _started;

    public (string Namespace, string EventHub, string ConsumerGroup) Source => (_ingress.FullyQualifiedNamespace, _ingress.EventHubName, _ingress.ConsumerGroup);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarting(_ingress.FullyQualifiedNamespace, _ingress.EventHubName, _ingress.ConsumerGroup, _container is null ? "Sqlite" : "Blob", _ingress.Identifier);
        _starting = StartWithRetryAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _starting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            // Batches in hand finish (they are committed and checkpointed), then the partitions are given up.
            await _ingress.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogStopFailed(ex.GetType().Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _ingress.DisposeAsync().ConfigureAwait(false);
        (_checkpoints as IDisposable)?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>A stable owner id for the store at its path: <c>medtechedge-</c> and 16 hex digits of the path's SHA-256 (no path in the id).</summary>
    internal static string OwnerIdOf(MedTechStore store)
    {
        byte[] hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(store.Options.Path)));
        return "medtechedge-" + Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    private async Task StartWithRetryAsync(CancellationToken cancellationToken)
    {
        TimeSpan pause = s_firstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (_container is not null)
                {
                    await BlobCheckpointStore.EnsureContainerAsync(_container, cancellationToken).ConfigureAwait(false);
                }

                await _ingress.StartAsync(cancellationToken).ConfigureAwait(false);
                _started = true;
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The SDK wraps what it found (an unreachable host, a refused token, an unknown hub or consumer group)
                // in an AggregateException; its messages name the hub, not a key.
                Exception cause = ex is AggregateException { InnerException: { } inner } ? inner : ex;
                LogStartFailed(cause.GetType().Name, cause.Message, pause);
            }

            try
            {
                await Task.Delay(pause, _clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, s_maxRetry.Ticks));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event Hubs ingress: reading {Namespace}, event hub {EventHub}, consumer group {ConsumerGroup}, checkpoint store {CheckpointStore}, as {Identifier}.")]
    private partial void LogStarting(string @namespace, string eventHub, string consumerGroup, string checkpointStore, string identifier);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event Hubs ingress: could not start ({ErrorType}: {Error}); trying again in {Pause}.")]
    private partial void LogStartFailed(string errorType, string error, TimeSpan pause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event Hubs ingress: stopping failed ({ErrorType}); partitions are given up when their claims expire.")]
    private partial void LogStopFailed(string errorType);
}
