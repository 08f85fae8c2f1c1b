using System.Buffers;
using System.Text.Json;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// The parts of an Observation that depend only on its template, rendered to UTF-8 JSON once per template and copied
/// into every Observation, so their strings are not escaped and transcoded again for each one: the whole run of
/// constant text between the identifier value and the patient's id (status, category, code), each component's code,
/// and the type name's part of the identifier.
/// </summary>
internal sealed class ObservationFragments
{
    private ObservationFragments(byte[] afterIdentifier, byte[]? typeSegment, byte[][] componentCodes)
    {
        AfterIdentifier = afterIdentifier;
        TypeSegment = typeSegment;
        ComponentCodes = componentCodes;
    }

    /// <summary>
    /// From the identifier value's closing quote to the patient id: <c>"}],"status":"final"</c>, the <c>category</c> array
    /// when the template has one, the <c>code</c> concept (the template codes, then the service's own coding, §7.2) and
    /// <c>,"subject":{"reference":"Patient/</c>.
    /// </summary>
    public byte[] AfterIdentifier { get; }

    /// <summary><c>.{typeName}.</c> in UTF-8, the type's part of the identifier value; null when the name is not plain ASCII.</summary>
    public byte[]? TypeSegment { get; }

    /// <summary>Each component's <c>code</c> concept, in template order.</summary>
    public byte[][] ComponentCodes { get; }

    /// <summary>The fragments of <paramref name="template"/>, rendered on first use (a race renders twice, harmlessly).</summary>
    public static ObservationFragments For(CodeValueFhirTemplate template) => template.Fragments ??= Render(template);

    private static ObservationFragments Render(CodeValueFhirTemplate template)
    {
        var afterIdentifier = new ArrayBufferWriter<byte>(512);
        afterIdentifier.Write("\"}],\"status\":\"final\""u8);
        if (template.Category.Count != 0)
        {
            afterIdentifier.Write(",\"category\":"u8);
            afterIdentifier.Write(Json(w => ObservationWriter.WriteCategoryArray(w, template)));
        }

        afterIdentifier.Write(",\"code\":"u8);
        afterIdentifier.Write(Json(w => ObservationWriter.WriteConcept(w, template.TypeName, template.Codes, template.TypeName)));
        afterIdentifier.Write(",\"subject\":{\"reference\":\"Patient/"u8);

        var json = new JsonAppender();
        byte[]? typeSegment = json.TryAppendPlain(template.TypeName) ? [(byte)'.', .. json.Written, (byte)'.'] : null;

        var components = new byte[template.Components.Count][];
        for (int i = 0; i < components.Length; i++)
        {
            FhirComponentTemplate component = template.Components[i];
            components[i] = Json(w => ObservationWriter.WriteConcept(w, component.Value.ValueName, component.Codes, component.Value.ValueName));
        }

        return new ObservationFragments(afterIdentifier.WrittenSpan.ToArray(), typeSegment, components);
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
