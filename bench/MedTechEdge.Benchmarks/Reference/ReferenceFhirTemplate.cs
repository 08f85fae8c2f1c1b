using Newtonsoft.Json.Linq;

namespace MedTechEdge.Benchmarks.Reference;

/// <summary>A coding of a FHIR template.</summary>
internal sealed record ReferenceCode(string? System, string? Code, string? Display);

/// <summary>A category: text and codings.</summary>
internal sealed record ReferenceConcept(string? Text, IReadOnlyList<ReferenceCode> Codes);

/// <summary>A Quantity <c>value</c> of a template or component.</summary>
internal sealed record ReferenceQuantity(string ValueName, string? Unit, string? System, string? Code);

/// <summary>A component: its codings and its value.</summary>
internal sealed record ReferenceComponent(IReadOnlyList<ReferenceCode> Codes, ReferenceQuantity Value);

/// <summary>A CodeValueFhir template, read with Json.NET; Quantity values only (what the benchmark inputs use).</summary>
internal sealed record ReferenceFhirTemplate(
    string TypeName,
    IReadOnlyList<ReferenceConcept> Category,
    IReadOnlyList<ReferenceCode> Codes,
    ReferenceQuantity? Value,
    IReadOnlyList<ReferenceComponent> Components)
{
    public static ReferenceFhirTemplate Read(JObject body) => new(
        ReferenceDeviceMapping.Member(body, "typeName").Value<string>()!,
        Array(body, "category").Select(c => new ReferenceConcept(((JObject)c).Value<string>("text"), ReadCodes((JObject)c))).ToList(),
        ReadCodes(body),
        body["value"] is JObject value ? Quantity(value) : null,
        Array(body, "components").Select(c => new ReferenceComponent(ReadCodes((JObject)c), Quantity((JObject)c["value"]!))).ToList());

    private static List<ReferenceCode> ReadCodes(JObject owner) =>
        Array(owner, "codes").Select(c => new ReferenceCode(c.Value<string>("system"), c.Value<string>("code"), c.Value<string>("display"))).ToList();

    private static ReferenceQuantity Quantity(JObject value)
    {
        string type = value.Value<string>("valueType")!;
        return type.Equals("Quantity", StringComparison.OrdinalIgnoreCase)
            ? new ReferenceQuantity(value.Value<string>("valueName")!, value.Value<string>("unit"), value.Value<string>("system"), value.Value<string>("code"))
            : throw new NotSupportedException($"The reference writes Quantity values only, not {type}.");
    }

    private static IEnumerable<JToken> Array(JObject owner, string name) =>
        owner.GetValue(name, StringComparison.OrdinalIgnoreCase) as JArray ?? [];
}
