using System.Net;
using System.Net.Sockets;

namespace MedTechEdge.Mqtt.Server;

/// <summary>
/// A listener of <see cref="MqttServer"/> cannot bind its address (taken, not on this host, not allowed). Still a
/// <see cref="SocketException"/> with the socket's error code; it adds which listener, so the host can name the setting.
/// </summary>
public sealed class MqttListenerBindException(SocketError error, IPEndPoint endPoint, bool tls) : SocketException((int)error)
{
    /// <summary>The address and port that could not be bound.</summary>
    public IPEndPoint EndPoint { get; } = endPoint;

    /// <summary>True for the TLS listener, false for the unencrypted one.</summary>
    public bool IsTls { get; } = tls;
}
