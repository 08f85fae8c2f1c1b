using MedTechEdge.Mapping.Normalization;
using Newtonsoft.Json.Linq;

namespace MedTechEdge.Benchmarks.Reference;

/// <summary>
/// One device template evaluated as the open-source connector's extractors do it: select the matches,
/// then read every field with <c>SelectToken</c> on a Json.NET tree.
/// </summary>
internal sealed class ReferenceTemplate
{
    private const string MatchedToken = "matchedToken";

    public required ReferenceTemplateKind Kind { get; init; }

    public required string TypeName { get; init; }

    public required string TypeMatch { get; init; }

    public required string DeviceId { get; init; }

    /// <summary>Candidates in order; IotJsonPathContent falls back to the enqueued time.</summary>
    public required string[] Timestamps { get; init; }

    public string? PatientId { get; init; }

    public string? EncounterId { get; init; }

    public string? CorrelationId { get; init; }

    public required IReadOnlyList<ReferenceValue> Values { get; init; }

    public void Project(JObject envelope, DateTime? ingestionTimeUtc, List<Measurement> output)
    {
        if (Kind != ReferenceTemplateKind.CalculatedContent)
        {
            // Legacy templates evaluate every expression relative to the match itself.
            foreach (JToken match in envelope.SelectTokens(TypeMatch))
            {
                output.Add(Build(match, ingestionTimeUtc));
            }

            return;
        }

        // CalculatedContent: one deep copy of the envelope per event, whose matchedToken member is
        // replaced for each match; Json.NET copies the match too, since it already has a parent.
        JObject? copy = null;
        foreach (JToken match in envelope.SelectTokens(TypeMatch))
        {
            copy ??= (JObject)envelope.DeepClone();
            copy[MatchedToken] = match;
            output.Add(Build(copy, ingestionTimeUtc));
        }
    }

    private Measurement Build(JToken scope, DateTime? ingestionTimeUtc)
    {
        // Order of extraction as the connector's: device, time, correlation, patient, encounter, values.
        string deviceId = ReferenceTokens.RequiredText(scope, DeviceId, "DeviceIdExpression");
        DateTime occurrence = ReferenceTokens.RequiredTime(scope, Timestamps);
        string? correlationId = CorrelationId is null ? null : ReferenceTokens.RequiredText(scope, CorrelationId, "CorrelationIdExpression");
        string? patientId = PatientId is null ? null : ReferenceTokens.Text(scope, PatientId);
        string? encounterId = EncounterId is null ? null : ReferenceTokens.Text(scope, EncounterId);
        var measurement = new Measurement
        {
            Type = TypeName,
            OccurrenceTimeUtc = occurrence,
            IngestionTimeUtc = ingestionTimeUtc,
            DeviceId = deviceId,
            PatientId = patientId,
            EncounterId = encounterId,
            CorrelationId = correlationId,
        };
        foreach (ReferenceValue value in Values)
        {
            string? text = value.Required
                ? ReferenceTokens.RequiredText(scope, value.Expression, value.ValueName)
                : ReferenceTokens.Text(scope, value.Expression);
            if (text is not null)
            {
                measurement.Properties.Add(new MeasurementProperty(value.ValueName, text));
            }
        }

        return measurement;
    }
}
