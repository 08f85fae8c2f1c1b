using MedTechEdge.Mqtt.Server;

namespace MedTechEdge.Mqtt.Tests.TestSupport;

/// <summary>An <see cref="MqttServer"/> on an OS-chosen loopback port with a recording ingest handler.</summary>
internal sealed class EmbeddedBroker : IAsyncDisposable
{
    private EmbeddedBroker(MqttServer server, RecordingIngestHandler handler)
    {
        Server = server;
        Handler = handler;
    }

    public MqttServer Server { get; }

    public RecordingIngestHandler Handler { get; }

    public int Port => Server.LocalEndPoint!.Port;

    public string PortText => Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string TlsPortText => Server.TlsLocalEndPoint!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<EmbeddedBroker> StartAsync(Action<MqttServerOptions>? configure = null, RecordingIngestHandler? handler = null, Microsoft.Extensions.Logging.ILogger<MqttServer>? logger = null)
    {
        var options = new MqttServerOptions { Port = 0 };
        configure?.Invoke(options);
        handler ??= new RecordingIngestHandler();
        if (options.Tls is { } tls && tls.Port == 8883)
        {
            // Tests never take the well-known port: let the OS pick.
            tls.Port = 0;
        }

        var server = new MqttServer(options, handler, logger);
        await server.StartAsync(CancellationToken.None);
        return new EmbeddedBroker(server, handler);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
