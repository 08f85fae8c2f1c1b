using System.Text.Json;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Templates;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Mapping;

/// <summary>
/// A loaded FHIR destination mapping (a MedTech <c>CollectionFhir</c>): compiled once, used from any thread.
/// </summary>
public sealed class FhirMapping
{
    private readonly Dictionary<string, CodeValueFhirTemplate> _templates;

    private FhirMapping(Dictionary<string, CodeValueFhirTemplate> templates, IReadOnlyList<TemplateError> warnings)
    {
        _templates = templates;
        Warnings = warnings;
    }

    /// <summary>Warnings found at load.</summary>
    public IReadOnlyList<TemplateError> Warnings { get; }

    /// <summary>Loads a mapping; throws <see cref="TemplateLoadException"/> with every error found.</summary>
    public static FhirMapping Load(string json) =>
        TryLoad(json, out FhirMapping? mapping, out IReadOnlyList<TemplateError> errors) ? mapping! : throw new TemplateLoadException(errors);

    /// <summary>Loads a mapping, reporting every error (with line and position) instead of throwing.</summary>
    public static bool TryLoad(string json, out FhirMapping? mapping, out IReadOnlyList<TemplateError> errors)
    {
        ArgumentNullException.ThrowIfNull(json);
        mapping = null;
        using JsonDocument? document = MappingDocument.Parse(json, out TemplateContext context);
        errors = context.Errors;
        if (document is null
            || !MappingDocument.TryGetCollection(context, document.RootElement, TemplateTypeNames.IsCollectionFhir, "CollectionFhir", out JsonElement items))
        {
            return false;
        }

        // Type names are looked up case-insensitively, so duplicates are too (§7.1).
        var templates = new Dictionary<string, CodeValueFhirTemplate>(StringComparer.OrdinalIgnoreCase);
        int index = 0;
        foreach (JsonElement item in items.EnumerateArray())
        {
            string pointer = "/template/" + index++;
            CodeValueFhirTemplate? template = FhirTemplateFactory.Create(context, item, pointer);
            if (template is not null && !templates.TryAdd(template.TypeName, template))
            {
                context.Error(pointer, $"Duplicate template defined for type name: '{template.TypeName}'.");
            }
        }

        if (context.HasErrors)
        {
            return false;
        }

        mapping = new FhirMapping(templates, context.Errors);
        return true;
    }

    /// <summary>True when a template exists for <paramref name="typeName"/> (case-insensitive).</summary>
    public bool HasTemplate(string typeName) => _templates.ContainsKey(typeName);

    /// <summary>
    /// Transforms one measurement into its Observation(s), appended to <paramref name="output"/>.
    /// Returns null, or the error (no template for the type, a value that cannot be represented).
    /// </summary>
    public string? Transform(Measurement measurement, ResourceReferences references, DateTime issuedUtc, List<FhirResource> output)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentNullException.ThrowIfNull(output);
        if (!_templates.TryGetValue(measurement.Type, out CodeValueFhirTemplate? template))
        {
            return $"No FHIR template for type '{measurement.Type}' (type names are matched case-insensitively).";
        }

        FhirResource? observation = ObservationWriter.WritePointInTime(template, measurement, references, issuedUtc, out string? error);
        if (observation is null)
        {
            return error;
        }

        output.Add(observation);
        return null;
    }
}
