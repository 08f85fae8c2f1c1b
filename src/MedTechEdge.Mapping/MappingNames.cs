namespace MedTechEdge.Mapping;

internal static class MappingNames
{
    /// <summary>The member CalculatedContent adds to the envelope for each match (medtech-semantics §2.3 step 2).</summary>
    public const string MatchedToken = "matchedToken";

    /// <summary>The envelope's members (medtech-semantics §1).</summary>
    public const string Body = "Body";

    public const string Properties = "Properties";

    public const string SystemProperties = "SystemProperties";

    /// <summary>The system of the extra coding and of the Observation identifier (medtech-semantics §5.2).</summary>
    public const string ServiceSystem = "https://azure.microsoft.com/en-us/services/iomt-fhir-connector/";
}
