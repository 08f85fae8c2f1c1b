using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Amqp;
using Amqp.Listener;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// An Event Hubs namespace with one hub, over AMQP 1.0 on a free loopback port (plain, or TLS with
/// <see cref="EventHubsAmqpPeerOptions.Certificate"/>), for the official SDKs to send to (AMQPNetLite's ContainerHost
/// underneath). It speaks what ../shared/research/eventhubs-amqp.md found the SDKs need: SASL MSSBCBS (and ANONYMOUS
/// for the Node SDK); <c>$cbs</c> put-token with a SAS token's signature, expiry and audience checked, or the one
/// configured Entra ID token (<c>jwt</c>); <c>$management</c>
/// READs of the hub and its partitions; send links to the hub and to single partitions, with the configured
/// max-message-size on attach; the batch format. It records each event with the partition, sequence number, offset
/// and enqueued time it was given. Receive links per consumer group and partition start where their selector filter
/// says, get stored and then live events within their credit, with the system annotations, and yield to a receiver
/// with a higher owner level. <see cref="Stop"/> and <see cref="Start"/> play an outage on the same port.
/// </summary>
public sealed class EventHubsAmqpPeer : IDisposable
{
    /// <summary>The condition Event Hubs refuses a send with when it is busy; the SDKs retry it.</summary>
    public const string ServerBusy = "com.microsoft:server-busy";

    private readonly PeerState _state;
    private readonly Lock _hostLock = new();
    private ContainerHost? _host;

    public EventHubsAmqpPeer(EventHubsAmqpPeerOptions? options = null)
    {
        _state = new PeerState(options ?? new EventHubsAmqpPeerOptions());
        Port = FreeLoopbackPort();
        Start();
    }

    public EventHubsAmqpPeerOptions Options => _state.Options;

    public int Port { get; }

    /// <summary>
    /// The connection string the SDKs take. <c>UseDevelopmentEmulator=true</c> makes them speak plain AMQP to the
    /// endpoint's port, as they do with Microsoft's emulator; without it they try TLS on 5671.
    /// </summary>
    public string ConnectionString => ConnectionStringWithKey(Options.Key);

    /// <summary>All events stored so far, in arrival order.</summary>
    public IReadOnlyList<EventHubsRecordedEvent> Events => _state.Log.Snapshot();

    /// <summary>Protocol surprises (an unknown address, a reply-to that matches no link); a conforming client causes none.</summary>
    public IReadOnlyCollection<string> Faults => _state.Faults;

    /// <summary>The selector filters receive links attached with, in order, as the SDKs wrote them.</summary>
    public IReadOnlyCollection<string> ReceiveFilters => _state.ReceiveFilters;

    /// <summary>How many deliveries send links stored: one per event sent alone, one per batch however many it held.</summary>
    public int Deliveries => _state.Deliveries;

    /// <summary>How many deliveries <see cref="RefuseSends"/> has refused.</summary>
    public int RefusedSends => _state.RefusedSends;

    /// <summary>Why each refused token (put-token or management) failed the check, in order.</summary>
    public IReadOnlyCollection<string> TokenRefusals => _state.TokenRefusals;

    /// <summary>
    /// With <see cref="EventHubsAmqpPeerOptions.Certificate"/>: the address a client gives as its custom endpoint
    /// (<c>amqps://127.0.0.1:PORT</c>); null on a plain peer.
    /// </summary>
    public Uri? TlsEndpoint => Options.Certificate is null ? null : new Uri($"amqps://127.0.0.1:{Port}");

    /// <summary>True while the peer listens (between <see cref="Stop"/> and <see cref="Start"/> it does not).</summary>
    public bool IsRunning
    {
        get
        {
            lock (_hostLock)
            {
                return _host is not null;
            }
        }
    }

    public string ConnectionStringWithKey(string key) =>
        $"Endpoint=sb://127.0.0.1:{Port};SharedAccessKeyName={Options.KeyName};SharedAccessKey={key};" +
        $"EntityPath={Options.Hub};UseDevelopmentEmulator=true";

    /// <summary>Refuses the next <paramref name="count"/> deliveries on any send link with <paramref name="condition"/>.</summary>
    public void RefuseSends(int count, string condition = ServerBusy) => _state.RefuseSends(count, condition);

    /// <summary>
    /// Stores one event in <paramref name="partition"/> directly, as if a sender had sent it, with the application
    /// <paramref name="properties"/> and message <paramref name="annotations"/> given: how a test puts an IoT
    /// Hub-routed event (with <c>iothub-connection-device-id</c>, <c>iothub-enqueuedtime</c> and friends) into the hub.
    /// The partition stamps its own sequence number, offset and enqueued time over any in <paramref name="annotations"/>.
    /// </summary>
    public EventHubsRecordedEvent Append(
        int partition,
        byte[] body,
        IReadOnlyDictionary<string, object?>? properties = null,
        IReadOnlyDictionary<string, object?>? annotations = null,
        string? contentType = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, Options.PartitionCount);
        var kept = new Dictionary<string, object?>(StringComparer.Ordinal);
        string? partitionKey = null;
        foreach (KeyValuePair<string, object?> annotation in annotations ?? new Dictionary<string, object?>())
        {
            if (annotation.Key == EventMessage.PartitionKey)
            {
                partitionKey = annotation.Value as string;
            }
            else if (!EventMessage.IsStamped(annotation.Key))
            {
                kept[annotation.Key] = annotation.Value;
            }
        }

        return _state.Log.Append(partition, [new IncomingEvent(partitionKey, body, contentType, properties ?? new Dictionary<string, object?>(), kept)])[0];
    }

    /// <summary>Waits until at least <paramref name="count"/> events are stored, or throws <see cref="TimeoutException"/>.</summary>
    public async Task<IReadOnlyList<EventHubsRecordedEvent>> WaitForEventsAsync(int count, TimeSpan timeout)
    {
        DateTimeOffset deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            // Take the signal before the snapshot, so an append between the two still wakes the wait.
            Task appended = _state.Log.NextAppendAsync();
            IReadOnlyList<EventHubsRecordedEvent> events = _state.Log.Snapshot();
            if (events.Count >= count)
            {
                return events;
            }

            TimeSpan left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{events.Count} of {count} events arrived within {timeout}");
            }

            try
            {
                await appended.WaitAsync(left).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The deadline passed: the loop reports how many arrived.
            }
        }
    }

    /// <summary>
    /// An outage: closes the listener and every connection, as a hub that went away. The stored events stay; the port
    /// stays this peer's, so <see cref="Start"/> brings the same hub back where clients look for it.
    /// </summary>
    public void Stop()
    {
        lock (_hostLock)
        {
            // A transfer the client sent before it saw the close must not be stored: the hub it went to is gone.
            _state.IsStopped = true;
            _host?.Close();
            _host = null;
            // Closing the listener leaves accepted connections open: close them too, or a client would not notice.
            _state.CloseConnections();
        }
    }

    /// <summary>Listens on <see cref="Port"/> (again, after <see cref="Stop"/>).</summary>
    public void Start()
    {
        lock (_hostLock)
        {
            if (_host is not null)
            {
                return;
            }

            X509Certificate2? certificate = Options.Certificate;
            var address = new Address(certificate is null ? $"amqp://127.0.0.1:{Port}" : $"amqps://127.0.0.1:{Port}");
            var host = certificate is null ? new ContainerHost(address) : new ContainerHost([address], certificate);
            // The .NET SDK offers only MSSBCBS, the Node SDK (rhea) only ANONYMOUS, as the service accepts both; either
            // way nothing is authorized until a $cbs put-token.
            host.Listeners[0].SASL.EnableMechanism(CbsSaslProfile.MssbCbsMechanism, new CbsSaslProfile(CbsSaslProfile.MssbCbsMechanism, TimeSpan.Zero));
            host.Listeners[0].SASL.EnableMechanism(CbsSaslProfile.AnonymousMechanism, new CbsSaslProfile(CbsSaslProfile.AnonymousMechanism, TimeSpan.FromMilliseconds(50)));
            host.RegisterLinkProcessor(new PeerLinkProcessor(_state));
            host.Open();
            _host = host;
            _state.IsStopped = false;
        }
    }

    public void Dispose() => Stop();

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
