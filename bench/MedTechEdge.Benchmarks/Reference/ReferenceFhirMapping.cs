using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MedTechEdge.Benchmarks.Reference;

/// <summary>
/// The reference transform: a point-in-time Observation (medtech-semantics §5.2) built as a Json.NET object
/// tree and then serialized, the way the connector builds FHIR objects before it writes them.
/// </summary>
internal sealed class ReferenceFhirMapping
{
    private const string ServiceSystem = "https://azure.microsoft.com/en-us/services/iomt-fhir-connector/";
    private const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private readonly Dictionary<string, ReferenceFhirTemplate> _templates;

    private ReferenceFhirMapping(Dictionary<string, ReferenceFhirTemplate> templates) => _templates = templates;

    public static ReferenceFhirMapping Load(string json)
    {
        var templates = new Dictionary<string, ReferenceFhirTemplate>(StringComparer.OrdinalIgnoreCase);
        foreach (JToken item in ReferenceDeviceMapping.Member(JObject.Parse(json), "template"))
        {
            ReferenceFhirTemplate template = ReferenceFhirTemplate.Read((JObject)item["template"]!);
            templates.Add(template.TypeName, template);
        }

        return new ReferenceFhirMapping(templates);
    }

    public FhirResource Transform(Measurement measurement, ResourceReferences references, DateTime issuedUtc)
    {
        ReferenceFhirTemplate template = _templates[measurement.Type];
        DateTime at = measurement.OccurrenceTimeUtc;
        string segment = at.ToString("yyyyMMddHHmmss'Z'", CultureInfo.InvariantCulture);
        string identifier = $"{references.PatientId}.{references.DeviceId}.{template.TypeName}.{segment}.{segment}";
        string id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ServiceSystem + "_" + identifier)));
        var observation = new JObject
        {
            ["resourceType"] = "Observation",
            ["id"] = id,
            ["identifier"] = new JArray(new JObject { ["system"] = ServiceSystem, ["value"] = identifier }),
            ["status"] = "final",
            ["code"] = Concept(template.TypeName, template.Codes, template.TypeName),
            ["subject"] = new JObject { ["reference"] = "Patient/" + references.PatientId },
            ["effectivePeriod"] = new JObject { ["start"] = Instant(at), ["end"] = Instant(at) },
            ["issued"] = Instant(issuedUtc),
            ["device"] = new JObject { ["reference"] = "Device/" + references.DeviceId },
        };
        if (template.Category.Count > 0)
        {
            // Observation.category, only when the template has one (§7.2); placed where the engine writes it.
            observation.Property("status")!.AddAfterSelf(new JProperty("category", new JArray(template.Category.Select(c => Concept(c.Text, c.Codes, null)))));
        }

        if (template.Value is not null && Find(measurement, template.Value.ValueName) is string value)
        {
            observation["valueQuantity"] = Quantity(template.Value, value);
        }

        var components = new JArray();
        foreach (ReferenceComponent component in template.Components)
        {
            if (Find(measurement, component.Value.ValueName) is string componentValue)
            {
                components.Add(new JObject
                {
                    ["code"] = Concept(component.Value.ValueName, component.Codes, component.Value.ValueName),
                    ["valueQuantity"] = Quantity(component.Value, componentValue),
                });
            }
        }

        if (components.Count > 0)
        {
            observation["component"] = components;
        }

        return new FhirResource("Observation", id, Encoding.UTF8.GetBytes(observation.ToString(Formatting.None)));
    }

    private static string Instant(DateTime utc) => utc.ToString(InstantFormat, CultureInfo.InvariantCulture);

    private static string? Find(Measurement measurement, string valueName)
    {
        foreach (MeasurementProperty property in measurement.Properties)
        {
            if (property.Name == valueName)
            {
                return property.Value;
            }
        }

        return null;
    }

    private static JObject Quantity(ReferenceQuantity template, string value) => new()
    {
        ["value"] = decimal.Parse(value, NumberStyles.Number, CultureInfo.InvariantCulture),
        ["unit"] = template.Unit,
        ["system"] = template.System,
        ["code"] = template.Code,
    };

    private static JObject Concept(string? text, IReadOnlyList<ReferenceCode> codes, string? extraCode)
    {
        var coding = new JArray(codes.Select(c => new JObject { ["system"] = c.System, ["code"] = c.Code, ["display"] = c.Display }));
        if (extraCode is not null)
        {
            coding.Add(new JObject { ["system"] = ServiceSystem, ["code"] = extraCode, ["display"] = extraCode });
        }

        return new JObject { ["coding"] = coding, ["text"] = text };
    }
}
