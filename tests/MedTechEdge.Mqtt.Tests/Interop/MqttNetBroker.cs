using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace MedTechEdge.Mqtt.Tests.Interop;

/// <summary>MQTTnet 5's broker in process on a free loopback port, as the peer of our client.</summary>
internal sealed class MqttNetBroker : IAsyncDisposable
{
    private MqttNetBroker(MqttServer server, int port)
    {
        Server = server;
        Port = port;
    }

    public MqttServer Server { get; }

    public int Port { get; }

    /// <param name="configure">Events to hook before the first client can connect.</param>
    public static async Task<MqttNetBroker> StartAsync(Action<MqttServer>? configure = null)
    {
        var factory = new MqttServerFactory();
        // MQTTnet does not report the port its listener bound, so port 0 is no use: take one the OS says is free and
        // retry if another process grabs it between the probe and MQTTnet's bind.
        for (int attempt = 1; ; attempt++)
        {
            int port = FreeLoopbackPort();
            MqttServerOptions options = factory.CreateServerOptionsBuilder()
                .WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                .WithDefaultEndpointPort(port)
                // Without this MQTTnet drops every session at disconnect, whatever Clean Start and Session Expiry say.
                .WithPersistentSessions()
                .Build();
            MqttServer server = factory.CreateMqttServer(options);
            configure?.Invoke(server);
            try
            {
                await server.StartAsync();
                return new MqttNetBroker(server, port);
            }
            catch (SocketException) when (attempt < 5)
            {
                server.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync();
        Server.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try
        {
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
        }
    }
}
