using System.Buffers;
using System.Text.Json;
using MedTechEdge.Pipeline;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Tools;

/// <summary>
/// One replay in a running module host: feeds messages into the inbox through the host's <see cref="InboxWriter"/>,
/// keeps the inbox backlog bounded (a vendor export can be larger than the gateway's disk), and waits for the stages to
/// drain what it fed.
/// </summary>
internal sealed partial class ReplayRun
{
    /// <summary>System properties of a replayed message: where it was read. Dead letters keep them.</summary>
    public const string FileProperty = "replay-file";

    public const string LineProperty = "replay-line";

    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(20);
    private readonly InboxWriter _inbox;
    private readonly PipelineSignals _signals;
    private readonly ILogger _logger;
    private readonly long _backlogLimit;
    private readonly long _total;
    private readonly long _earlier;
    private readonly Queue<Pending> _pending = new();
    private Pending? _current;
    private long _fed;
    private long _invalid;

    public ReplayRun(IServiceProvider services, ReplayProgress progress, long total)
    {
        Store = services.GetRequiredService<MedTechStore>();
        Map = services.GetRequiredService<MapStage>();
        Persist = services.GetRequiredService<PersistStage>();
        _inbox = services.GetRequiredService<InboxWriter>();
        _signals = services.GetRequiredService<PipelineSignals>();
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("MedTechEdge.Tools.Replay");
        // A few Map batches ahead: enough that Map never waits for the reader, little enough for a small gateway's disk.
        _backlogLimit = Math.Max(4L * services.GetRequiredService<PipelineOptions>().MapBatchSize, 2L * Store.Options.MaxCommitBatch);
        Progress = progress;
        _total = total;
        // Rows already in the inbox (an interrupted run, requeued dead letters) are mapped first, in inbox order, and
        // Map counts them too: they are not this replay's messages, so they are left out of its count. The counter is
        // read before the rows: a batch Map commits in between is then missed, never counted twice, and Done's clamp
        // keeps that miss from showing more than the replay fed.
        long mappedBefore = Map.MappedCount;
        using SqliteConnection connection = Store.OpenConnection();
        _earlier = mappedBefore + InboxTable.Count(connection);
    }

    public MedTechStore Store { get; }

    public MapStage Map { get; }

    public PersistStage Persist { get; }

    public ReplayProgress Progress { get; }

    /// <summary>Messages read from the input, the broken ones included.</summary>
    public long Read => _fed + _invalid;

    /// <summary>
    /// This replay's messages through Map or dead-lettered for their input: the same things the total counts, so the
    /// progress never passes 100 %.
    /// </summary>
    private long Done => Math.Clamp(Map.MappedCount - _earlier, 0, _fed) + _invalid;

    public async Task FeedAsync(ReplayItem item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var message = new InboxMessage
        {
            ReceivedUtc = DateTime.UtcNow,
            Source = MessageSources.Replay,
            Body = item.Body,
            SystemProperties = SystemProperties(item),
        };
        if (item.Problem is not null)
        {
            await DeadLetterAsync(message, $"{item.File}:{item.Line}: {item.Problem}", cancellationToken).ConfigureAwait(false);
            _invalid++;
            return;
        }

        LogFed(message.CorrelationId, item.File, item.Line);
        Enqueue(message);
        _fed++;
        while (_pending.Count > 2)
        {
            await SettleOldestAsync(cancellationToken).ConfigureAwait(false);
        }

        while (_fed - Map.MappedCount > _backlogLimit)
        {
            Progress.Report(Done, _total);
            await Task.Delay(s_poll, cancellationToken).ConfigureAwait(false);
        }

        Progress.Report(Done, _total);
    }

    /// <summary>Waits until every message fed is committed, mapped, its windows flushed and the outbox delivered.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (_pending.Count > 0)
        {
            await SettleOldestAsync(cancellationToken).ConfigureAwait(false);
        }

        using SqliteConnection connection = Store.OpenConnection();
        while (InboxTable.Count(connection) > 0)
        {
            Progress.Report(Done, _total);
            await Task.Delay(s_poll, cancellationToken).ConfigureAwait(false);
        }

        // SampledData windows wait for their flush interval in the module; a replay that ends writes them now. Map takes
        // the request after its current batch, so its counts are final once it answers.
        await _signals.RequestWindowFlushAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        long waiting;
        while ((waiting = OutboxTable.Count(connection)) > 0)
        {
            Progress.Report(Done, _total, $"{waiting:N0} resource(s) still to write");
            await Task.Delay(s_poll, cancellationToken).ConfigureAwait(false);
        }

        Progress.Report(Done, _total, force: true);
    }

    private void Enqueue(InboxMessage message)
    {
        InboxCommit commit = _inbox.Enqueue(message, out _);
        if (_current is null || !ReferenceEquals(_current.Commit, commit))
        {
            _current = new Pending(commit);
            _pending.Enqueue(_current);
        }

        _current.Messages.Add(message);
    }

    /// <summary>
    /// Waits for the oldest commit. One the store refused for its size cap is sent again after a wait, while Map and
    /// Persist free room: the replay slows down, and loses nothing.
    /// </summary>
    private async Task SettleOldestAsync(CancellationToken cancellationToken)
    {
        Pending oldest = _pending.Dequeue();
        try
        {
            await oldest.Commit.AsValueTask().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StoreFullException)
        {
            Progress.Report(Done, _total, "the store is at its size cap, waiting for delivery", force: true);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            foreach (InboxMessage message in oldest.Messages)
            {
                Enqueue(message);
            }
        }
    }

    private async Task DeadLetterAsync(InboxMessage message, string error, CancellationToken cancellationToken)
    {
        await Store.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using SqliteConnection connection = Store.OpenConnection();
            using SqliteTransaction transaction = connection.BeginTransaction();
            DeadLetterTable.Insert(connection, transaction, new DeadLetter { CreatedUtc = DateTime.UtcNow, Stage = PipelineStage.Replay, Kind = DeadLetterKind.InvalidReplayInput, Error = error, Message = message });
            transaction.Commit();
        }
        finally
        {
            Store.WriteLock.Release();
        }

        LogInvalid(message.CorrelationId);
    }

    private static byte[] SystemProperties(ReplayItem item)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(FileProperty, item.File);
            writer.WriteNumber(LineProperty, item.Line);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One inbox commit and the replay's messages in it, to send again if the store refuses it.</summary>
    private sealed class Pending(InboxCommit commit)
    {
        public InboxCommit Commit { get; } = commit;

        public List<InboxMessage> Messages { get; } = [];
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Replay: message {CorrelationId} from {File}:{Line} joins the next inbox commit.")]
    private partial void LogFed(string correlationId, string file, int line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replay: message {CorrelationId} moved to dead letters (InvalidReplayInput).")]
    private partial void LogInvalid(string correlationId);
}
