using System.Buffers;
using System.Text.Json;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// The parts of an Observation that depend only on its template (category, code, component codes), rendered to
/// UTF-8 JSON once per template and copied into every Observation, so their strings are not escaped and
/// transcoded again for each one.
/// </summary>
internal sealed class ObservationFragments
{
    private ObservationFragments(byte[]? category, byte[] code, byte[][] componentCodes)
    {
        Category = category;
        Code = code;
        ComponentCodes = componentCodes;
    }

    /// <summary>The <c>category</c> array, or null when the template has none.</summary>
    public byte[]? Category { get; }

    /// <summary>The <c>code</c> concept: the template codes, then the service's own coding (§7.2).</summary>
    public byte[] Code { get; }

    /// <summary>Each component's <c>code</c> concept, in template order.</summary>
    public byte[][] ComponentCodes { get; }

    /// <summary>The fragments of <paramref name="template"/>, rendered on first use (a race renders twice, harmlessly).</summary>
    public static ObservationFragments For(CodeValueFhirTemplate template) => template.Fragments ??= Render(template);

    private static ObservationFragments Render(CodeValueFhirTemplate template)
    {
        byte[]? category = template.Category.Count == 0 ? null : Json(w => ObservationWriter.WriteCategoryArray(w, template));
        byte[] code = Json(w => ObservationWriter.WriteConcept(w, template.TypeName, template.Codes, template.TypeName));
        var components = new byte[template.Components.Count][];
        for (int i = 0; i < components.Length; i++)
        {
            FhirComponentTemplate component = template.Components[i];
            components[i] = Json(w => ObservationWriter.WriteConcept(w, component.Value.ValueName, component.Codes, component.Value.ValueName));
        }

        return new ObservationFragments(category, code, components);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
