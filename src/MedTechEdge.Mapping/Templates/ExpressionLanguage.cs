namespace MedTechEdge.Mapping.Templates;

/// <summary>The languages a device-template expression may be written in.</summary>
public enum ExpressionLanguage
{
    /// <summary>JSONPath in the MedTech (Json.NET) dialect. The default.</summary>
    JsonPath,

    /// <summary>JMESPath with the MedTech custom functions.</summary>
    JmesPath,
}
