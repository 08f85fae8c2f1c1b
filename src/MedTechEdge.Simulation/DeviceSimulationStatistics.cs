namespace MedTechEdge.Simulation;

/// <summary>Counters of a running simulation.</summary>
public sealed class DeviceSimulationStatistics
{
    internal long _published;
    internal long _acknowledged;
    internal long _failed;
    internal long _connects;

    /// <summary>Readings handed to the MQTT client.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Readings the broker acknowledged with success (QoS 0: written).</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Readings refused by the broker or lost with the connection.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Successful connections, including reconnects.</summary>
    public long Connects => Interlocked.Read(ref _connects);
}
