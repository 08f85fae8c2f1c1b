namespace MedTechEdge.Mapping.Templates;

/// <summary>The device template types a CollectionContent may hold (medtech-semantics §2.1).</summary>
internal enum DeviceTemplateKind
{
    CalculatedContent,
    JsonPathContent,
    IotJsonPathContent,
    IotCentralJsonPathContent,
}
