using MedTechEdge.Mapping.Normalization;
using Newtonsoft.Json.Linq;

namespace MedTechEdge.Benchmarks.Reference;

/// <summary>
/// The Newtonsoft reference normalizer: a device mapping read with Json.NET, expressions kept as text
/// and handed to <c>SelectTokens</c>/<c>SelectToken</c> per message, as the open-source connector does.
/// JSONPath only (the connector's JMESPath library is not available here); enough for the benchmark
/// inputs, and checked against our engine on each of them.
/// </summary>
internal sealed class ReferenceDeviceMapping
{
    private readonly ReferenceTemplate[] _templates;

    private ReferenceDeviceMapping(ReferenceTemplate[] templates) => _templates = templates;

    public static ReferenceDeviceMapping Load(string json)
    {
        JObject root = JObject.Parse(json);
        var templates = new List<ReferenceTemplate>();
        foreach (JToken item in Member(root, "template"))
        {
            templates.Add(ReferenceTemplateReader.Read((JObject)item));
        }

        return new ReferenceDeviceMapping([.. templates]);
    }

    /// <summary>Appends every template's measurements, template by template (medtech-semantics §2.1).</summary>
    public void Normalize(JObject envelope, DateTime? ingestionTimeUtc, List<Measurement> output)
    {
        foreach (ReferenceTemplate template in _templates)
        {
            template.Project(envelope, ingestionTimeUtc, output);
        }
    }

    internal static JToken Member(JObject owner, string name) =>
        owner.GetValue(name, StringComparison.OrdinalIgnoreCase) ?? throw new InvalidOperationException($"Missing '{name}'.");
}
