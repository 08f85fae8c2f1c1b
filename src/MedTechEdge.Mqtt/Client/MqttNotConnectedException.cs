namespace MedTechEdge.Mqtt.Client;

/// <summary>A publish was asked for while the subscriber has no connection; it is retried by the caller, if at all.</summary>
public sealed class MqttNotConnectedException : Exception
{
    /// <summary>No connection at the moment of the call.</summary>
    public MqttNotConnectedException()
        : base("Not connected to the broker.")
    {
    }

    /// <summary>The connection was lost during the call.</summary>
    public MqttNotConnectedException(Exception inner)
        : base("The connection to the broker was lost: " + inner?.Message, inner)
    {
    }

    /// <summary>With a message of the caller's.</summary>
    public MqttNotConnectedException(string message)
        : base(message)
    {
    }
}
