namespace MedTechEdge.Mapping.Templates;

/// <summary>
/// The accepted <c>templateType</c> spellings, matched case-insensitively. Some accept a
/// <c>Template</c> suffix and some do not, exactly as the open-source factories do (medtech-semantics §2.1).
/// </summary>
internal static class TemplateTypeNames
{
    public static bool IsCollectionContent(string name) => Is(name, "CollectionContent") || Is(name, "CollectionContentTemplate");

    /// <summary>The device template kind a <c>templateType</c> names, or null.</summary>
    public static DeviceTemplateKind? DeviceTemplateKind(string name)
    {
        if (Is(name, "CalculatedContent"))
        {
            return Templates.DeviceTemplateKind.CalculatedContent;
        }

        if (Is(name, "JsonPathContent") || Is(name, "JsonPathContentTemplate"))
        {
            return Templates.DeviceTemplateKind.JsonPathContent;
        }

        if (Is(name, "IotJsonPathContent") || Is(name, "IotJsonPathContentTemplate"))
        {
            return Templates.DeviceTemplateKind.IotJsonPathContent;
        }

        return Is(name, "IotCentralJsonPathContent") ? Templates.DeviceTemplateKind.IotCentralJsonPathContent : null;
    }

    public static bool IsCollectionFhir(string name) => Is(name, "CollectionFhir") || Is(name, "CollectionFhirTemplate");

    public static bool IsCodeValueFhir(string name) => Is(name, "CodeValueFhir") || Is(name, "CodeValueFhirTemplate");

    private static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);
}
