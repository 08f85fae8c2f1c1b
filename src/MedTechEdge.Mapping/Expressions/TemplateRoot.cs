using System.Text.Json;
using MedTechEdge.Mapping.Normalization;

namespace MedTechEdge.Mapping.Expressions;

/// <summary>
/// What an expression is evaluated against: the device envelope (which has no element of its own until it is
/// composed), or an element, such as a legacy template's match.
/// </summary>
internal readonly struct TemplateRoot
{
    private TemplateRoot(DeviceEnvelope? envelope, JsonElement element)
    {
        Envelope = envelope;
        Element = element;
    }

    /// <summary>The envelope, when the root is the envelope itself.</summary>
    public DeviceEnvelope? Envelope { get; }

    /// <summary>The root element, when <see cref="Envelope"/> is null.</summary>
    public JsonElement Element { get; }

    public static TemplateRoot Of(DeviceEnvelope envelope) => new(envelope, default);

    public static TemplateRoot Of(JsonElement element) => new(null, element);

    /// <summary>The element whose text holds every match a header can be reused for (see <see cref="Normalization.HeaderCache"/>).</summary>
    public JsonElement MatchSpace => Envelope?.Body ?? Element;

    /// <summary>The root as an element, composing the envelope if it is one.</summary>
    public JsonElement ToElement() => Envelope?.ToElement() ?? Element;

    /// <summary>
    /// A JSONPath result, with the <c>default</c> that stands for the virtual envelope (see
    /// <see cref="JsonPath.VirtualObject"/>) replaced by the composed envelope.
    /// </summary>
    public JsonElement Resolve(JsonElement selected)
        => selected.ValueKind == JsonValueKind.Undefined && Envelope is not null ? Envelope.ToElement() : selected;
}
