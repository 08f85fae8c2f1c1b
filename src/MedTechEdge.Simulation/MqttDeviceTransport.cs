using System.Collections.Concurrent;
using System.Net.Sockets;
using MedTechEdge.Mqtt.Client;

namespace MedTechEdge.Simulation;

/// <summary>
/// Each device on its own MQTT connection (client id = device id), publishing on its topic, as real devices do against
/// the module's listener or a gateway broker.
/// </summary>
public sealed class MqttDeviceTransport : IDeviceMessageTransport
{
    private readonly MqttDeviceTransportOptions _options;
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);

    /// <summary>Creates the transport; nothing connects before <see cref="ConnectAsync"/>.</summary>
    public MqttDeviceTransport(MqttDeviceTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public string Destination => $"mqtt://{_options.Host}:{_options.Port}";

    /// <inheritdoc />
    public async ValueTask<bool> ConnectAsync(string deviceId, CancellationToken cancellationToken)
    {
        var client = new MqttClient();
        try
        {
            var options = new MqttClientOptions
            {
                Host = _options.Host,
                Port = _options.Port,
                ClientId = deviceId,
                ProtocolVersion = _options.ProtocolVersion,
                KeepAlive = TimeSpan.FromSeconds(30),
                Timeout = TimeSpan.FromSeconds(5),
            };
            MqttConnectResult result = await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                string topic = _options.TopicPattern.Replace("{deviceId}", deviceId, StringComparison.Ordinal);
                _connections[deviceId] = new Connection(client, topic);
                return true;
            }
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
            // Broker not up yet: the caller retries.
        }
        catch (OperationCanceledException)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await client.DisposeAsync().ConfigureAwait(false);
        return false;
    }

    /// <inheritdoc />
    public async ValueTask<bool> SendAsync(string deviceId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        if (!_connections.TryGetValue(deviceId, out Connection? connection))
        {
            return false;
        }

        try
        {
            MqttPublishResult result = await connection.Client.PublishAsync(connection.Topic, json, _options.QoS, retain: false, cancellationToken).ConfigureAwait(false);
            return result.IsSuccess;
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
            // Lost with the connection; IsConnected now says false.
            return false;
        }
    }

    /// <inheritdoc />
    public bool IsConnected(string deviceId) => _connections.TryGetValue(deviceId, out Connection? connection) && connection.Client.IsConnected;

    /// <inheritdoc />
    public async ValueTask DisconnectAsync(string deviceId, CancellationToken cancellationToken)
    {
        if (!_connections.TryRemove(deviceId, out Connection? connection))
        {
            return;
        }

        try
        {
            if (connection.Client.IsConnected)
            {
                await connection.Client.DisconnectAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
            // Already gone: nothing to close cleanly.
        }
        finally
        {
            await connection.Client.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (string deviceId in _connections.Keys)
        {
            await DisconnectAsync(deviceId, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static bool IsConnectionFault(Exception ex) => ex is IOException or InvalidOperationException or TimeoutException or SocketException;

    private sealed record Connection(MqttClient Client, string Topic);
}
