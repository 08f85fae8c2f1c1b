namespace MedTechEdge.Simulation;

/// <summary>How a simulated message is written: well formed, or broken in one of the ways devices break them.</summary>
internal enum MessageForm
{
    /// <summary>As the bundled sample mappings expect.</summary>
    WellFormed,

    /// <summary>Cut off before its closing brace: not JSON at all, so the envelope cannot be built.</summary>
    InvalidJson,

    /// <summary>No "deviceId": the device mapping's required device id is missing.</summary>
    MissingDeviceId,

    /// <summary>Times of the wrong type: "measurementTime" as Unix milliseconds, an ECG's "startTimeMs" as a string.</summary>
    WrongTimestampType,

    /// <summary>Values as strings with their unit ("72 /min"): they normalize, but no Quantity or SampledData takes them.</summary>
    WrongValueType,
}
