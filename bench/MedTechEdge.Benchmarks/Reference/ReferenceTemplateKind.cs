namespace MedTechEdge.Benchmarks.Reference;

/// <summary>The device template types the reference understands.</summary>
internal enum ReferenceTemplateKind
{
    /// <summary>Expressions see the envelope plus <c>matchedToken</c> (medtech-semantics §2.3).</summary>
    CalculatedContent,

    /// <summary>Expressions are relative to the match (§3.4).</summary>
    JsonPathContent,

    /// <summary>Relative to the match, with the IoT Hub device id and time paths (§3.5).</summary>
    IotJsonPathContent,

    /// <summary>Relative to the match, with the IoT Central export paths (§3.6).</summary>
    IotCentralJsonPathContent,
}
