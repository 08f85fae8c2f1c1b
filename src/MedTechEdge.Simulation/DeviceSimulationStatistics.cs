namespace MedTechEdge.Simulation;

/// <summary>Counters of a running simulation.</summary>
public sealed class DeviceSimulationStatistics
{
    internal long _published;
    internal long _acknowledged;
    internal long _failed;
    internal long _connects;
    internal long _malformed;
    internal long _bursts;

    /// <summary>Messages handed to the transport.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Messages the far end accepted (MQTT QoS 1: PUBACK with success; QoS 0: written).</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Messages refused or lost with the connection.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Successful connections, including reconnects.</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Of <see cref="Published"/>, the messages sent malformed on purpose.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Bursts sent, summed over devices.</summary>
    public long Bursts => Interlocked.Read(ref _bursts);
}
