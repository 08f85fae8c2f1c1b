namespace MedTechEdge.IotEdge;

/// <summary>
/// The module's IoT Edge inputs and outputs, the names routes in a deployment manifest use
/// (<c>BrokeredEndpoint("/modules/MedTechEdge/inputs/devicedata")</c>, <c>FROM /messages/modules/MedTechEdge/outputs/observations</c>).
/// </summary>
internal static class ModuleEndpoints
{
    /// <summary>Device messages routed to the module; the default and only ingested input unless EdgeHub:Inputs says otherwise.</summary>
    public const string DeviceDataInput = "devicedata";

    /// <summary>Normalized measurements (MedTech's normalized schema), when the sink is <c>EdgeHub</c> with Content Measurements.</summary>
    public const string NormalizedOutput = "normalized";

    /// <summary>FHIR resources (Observations, and Patients and Devices in Create mode), when the sink is <c>EdgeHub</c> with Content Resources.</summary>
    public const string ObservationsOutput = "observations";

    /// <summary>Dead letters, each with its reason, as they are written to the store.</summary>
    public const string DeadLettersOutput = "deadletters";

    /// <summary>Every output, for validating routes.</summary>
    public static readonly IReadOnlyList<string> Outputs = [NormalizedOutput, ObservationsOutput, DeadLettersOutput];
}
