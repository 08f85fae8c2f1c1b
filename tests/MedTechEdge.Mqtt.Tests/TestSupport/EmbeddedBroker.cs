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

    public static async Task<EmbeddedBroker> StartAsync(Action<MqttServerOptions>? configure = null, RecordingIngestHandler? handler = null)
    {
        var options = new MqttServerOptions { Port = 0 };
        configure?.Invoke(options);
        handler ??= new RecordingIngestHandler();
        var server = new MqttServer(options, handler);
        await server.StartAsync(CancellationToken.None);
        return new EmbeddedBroker(server, handler);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
