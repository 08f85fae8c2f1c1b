using MedTechEdge.Mapping.Expressions;

namespace MedTechEdge.Mapping.Templates;

/// <summary>One entry of a device template's <c>values</c> array.</summary>
internal sealed class ValueTemplate
{
    public required string ValueName { get; init; }

    public required ITemplateExpression Expression { get; init; }

    /// <summary>Defaults to false, as the open-source connector does (medtech-semantics §2.3).</summary>
    public bool Required { get; init; }

    /// <summary>Where the valueName is in the mapping file, for warnings.</summary>
    public (int Line, int Position) Location { get; init; }
}
