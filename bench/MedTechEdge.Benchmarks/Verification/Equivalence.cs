using System.Text;
using MedTechEdge.Benchmarks.Engine;
using MedTechEdge.Benchmarks.Reference;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MedTechEdge.Benchmarks.Verification;

/// <summary>
/// Keeps the comparison honest: before anything is timed, both implementations must produce the same
/// measurements (and, for transform cases, the same Observations) for the case's message.
/// </summary>
internal static class Equivalence
{
    /// <summary>Null when both agree; otherwise what differs.</summary>
    public static string? CompareMeasurements(IReadOnlyList<Measurement> engine, IReadOnlyList<Measurement> reference)
    {
        if (engine.Count != reference.Count)
        {
            return $"engine produced {engine.Count} measurements, the reference {reference.Count}";
        }

        for (int i = 0; i < engine.Count; i++)
        {
            string left = Describe(engine[i]);
            string right = Describe(reference[i]);
            if (left != right)
            {
                return $"measurement {i} differs:\n  engine:    {left}\n  reference: {right}";
            }
        }

        return null;
    }

    /// <summary>Null when both wrote the same resources (ids equal, JSON equal with numbers compared by value).</summary>
    public static string? CompareResources(IReadOnlyList<FhirResource> engine, IReadOnlyList<FhirResource> reference)
    {
        if (engine.Count != reference.Count)
        {
            return $"engine produced {engine.Count} resources, the reference {reference.Count}";
        }

        for (int i = 0; i < engine.Count; i++)
        {
            JToken left = Parse(engine[i].Json);
            JToken right = Parse(reference[i].Json);
            if (engine[i].Id != reference[i].Id || !JsonValueComparer.Equal(left, right))
            {
                return $"resource {i} differs:\n  engine:    {left.ToString(Formatting.None)}\n  reference: {right.ToString(Formatting.None)}";
            }
        }

        return null;
    }

    /// <summary>Runs both pipelines once and throws when they disagree (benchmark GlobalSetup).</summary>
    public static void Check(EnginePipeline engine, ReferencePipeline reference, bool transform, int expectedMeasurements)
    {
        if (transform)
        {
            engine.NormalizeAndTransform();
            reference.NormalizeAndTransform();
        }
        else
        {
            engine.Normalize();
            reference.Normalize();
        }

        string? difference = engine.Measurements.Count != expectedMeasurements
            ? $"expected {expectedMeasurements} measurements, the engine produced {engine.Measurements.Count}"
            : CompareMeasurements(engine.Measurements, reference.Measurements);
        if (difference is null && transform)
        {
            difference = CompareResources(engine.Resources, reference.Resources);
        }

        if (difference is not null)
        {
            throw new InvalidOperationException("The engine and the Newtonsoft reference disagree: " + difference);
        }
    }

    public static string Describe(Measurement m)
    {
        var text = new StringBuilder();
        text.Append(m.Type).Append(" device=").Append(m.DeviceId).Append(" patient=").Append(m.PatientId)
            .Append(" encounter=").Append(m.EncounterId).Append(" correlation=").Append(m.CorrelationId)
            .Append(" occurred=").Append(m.OccurrenceTimeUtc.Ticks).Append('/').Append(m.OccurrenceTimeUtc.Kind)
            .Append(" ingested=").Append(m.IngestionTimeUtc?.Ticks);
        foreach (MeasurementProperty property in m.Properties)
        {
            text.Append(' ').Append(property.Name).Append('=').Append(property.Value);
        }

        return text.ToString();
    }

    private static JToken Parse(byte[] json)
    {
        using var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(json)))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Decimal,
        };
        return JToken.ReadFrom(reader);
    }
}
