namespace MedTechEdge.Pipeline.Stages;

/// <summary>What a record the Map stage produced is, which decides where it goes and how the sink writes it.</summary>
internal enum MappedRecordKind
{
    /// <summary>A point-in-time Observation, written as it is.</summary>
    Observation,

    /// <summary>A SampledData Observation: it joins its open window in the store, and is merged with the server's copy on write.</summary>
    Window,

    /// <summary>A Patient or Device (Create mode) that what follows references: written ahead of it.</summary>
    Identity,

    /// <summary>A normalized measurement (the Event Hubs <c>Measurements</c> content).</summary>
    Measurement,

    /// <summary>The device message as it came in (the Event Hubs <c>DeviceMessages</c> content).</summary>
    DeviceMessage,
}
