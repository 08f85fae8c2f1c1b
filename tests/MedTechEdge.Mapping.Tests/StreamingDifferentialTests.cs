using System.Globalization;
using System.Text;
using MedTechEdge.Mapping.Normalization;
using Xunit.Abstractions;

namespace MedTechEdge.Mapping.Tests;

/// <summary>
/// The streaming plan against the JSONPath engine over a generated corpus (<see cref="StreamingCorpus"/>): for every
/// message the plan answers, the same measurements in the same order, or the same error; for every message the
/// engine's envelope refuses, the plan declines. And the plan must answer most well-formed messages, or it is not
/// the fast path it claims to be.
/// </summary>
public sealed class StreamingDifferentialTests(ITestOutputHelper output)
{
    private static readonly DateTime s_ingestion = new(2026, 11, 21, 17, 0, 1, DateTimeKind.Utc);

    public static TheoryData<string, string> Mappings() => new()
    {
        { "single-vital", StreamingMappings.SingleVital },
        { "five-vital", StreamingMappings.FiveVital },
        { "headers", StreamingMappings.Headers },
        { "legacy", StreamingMappings.Legacy },
        { "bundled-vitals", StreamingMappings.BundledVitals() },
        { "bundled", StreamingMappings.Bundled },
    };

    [Theory]
    [MemberData(nameof(Mappings))]
    public void Streaming_Plan_Gives_The_Engines_Answer_For_Every_Message_It_Answers(string name, string mappingJson)
    {
        DeviceMapping mapping = DeviceMapping.Load(mappingJson);
        Assert.True(mapping.HasStreamingPlan, name);
        int answered = 0;
        int answeredWithMeasurements = 0;
        int answeredWithError = 0;
        int total = 0;
        foreach ((byte[] body, string properties, string systemProperties) in StreamingCorpus.Messages(randomCount: 6000, seed: 16))
        {
            total++;
            string engine = Engine(mapping, body, properties, systemProperties, out bool bodyRefused);
            byte[] propertiesUtf8 = Encoding.UTF8.GetBytes(properties);
            byte[] systemUtf8 = Encoding.UTF8.GetBytes(systemProperties);
            Measurement sentinel = Sentinel();
            var streamed = new List<Measurement> { sentinel };
            bool ok = mapping.TryNormalizeStreaming(body, propertiesUtf8, systemUtf8, s_ingestion, streamed, out MappingError? error);
            // The plan appends after what the list holds and never touches it, also when it declines or fails.
            Assert.Same(sentinel, streamed[0]);
            streamed.RemoveAt(0);
            if (!ok)
            {
                Assert.Empty(streamed);
                Assert.Null(error);
                continue;
            }

            string answer = Describe(error, streamed);
            Assert.True(
                !bodyRefused && answer == engine,
                $"mapping {name}, body {Encoding.UTF8.GetString(body)}, properties {properties}, system {systemProperties}\n  engine:    {engine}\n  streaming: {answer}");
            Assert.True(error is null || streamed.Count == 0);
            answered++;
            answeredWithMeasurements += streamed.Count > 0 ? 1 : 0;
            answeredWithError += error is not null ? 1 : 0;
        }

        output.WriteLine($"{name}: {total} messages, {answered} answered ({answeredWithMeasurements} with measurements, {answeredWithError} with an error)");

        // Without the plan nothing is answered. With it, more than a fifth of this corpus is: the corpus is built to
        // provoke declines (malformed text, objects nested with filter names, duplicate names, property objects
        // holding a filter name); it answered 38-58% of it for these mappings when this test was written.
        Assert.True(answered > total / 5, $"{name}: the plan answered {answered} of {total} messages");
        Assert.True(answeredWithMeasurements > total / 20, $"{name}: {answeredWithMeasurements} answered with measurements");
        Assert.True(answeredWithError > total / 20, $"{name}: {answeredWithError} answered with an error");
    }

    private static Measurement Sentinel() => new() { Type = "sentinel", DeviceId = "x", OccurrenceTimeUtc = default };

    /// <summary>The engine's answer as text (with the context appended, as the streamed one has it).</summary>
    private static string Engine(DeviceMapping mapping, byte[] body, string properties, string systemProperties, out bool bodyRefused)
    {
        bodyRefused = false;
        if (!DeviceEnvelope.TryCreate(body, properties, systemProperties, out DeviceEnvelope? envelope, out string? refusal))
        {
            bodyRefused = true;
            return "refused: " + refusal;
        }

        var output = new List<Measurement>();
        MappingError? error;
        try
        {
            using (envelope)
            {
                error = mapping.Normalize(envelope!, s_ingestion, output);
            }
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            // The engine has no answer for this message (a number beyond double, say): the plan must not have one
            // either, and no answer of the plan's can equal this text.
            return "threw: " + ex.GetType().Name;
        }

        return Describe(error, output);
    }

    private static string Describe(MappingError? error, List<Measurement> measurements)
    {
        if (error is not null)
        {
            return $"error {error.Kind} [{error.TypeName}] {error.Detail}";
        }

        var text = new StringBuilder();
        foreach (Measurement m in measurements)
        {
            text.Append(m.Type).Append(" device=").Append(m.DeviceId).Append(" patient=").Append(m.PatientId ?? "<null>")
                .Append(" encounter=").Append(m.EncounterId ?? "<null>").Append(" correlation=").Append(m.CorrelationId ?? "<null>")
                .Append(" occurred=").Append(m.OccurrenceTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append('/').Append(m.OccurrenceTimeUtc.Kind)
                .Append(" ingested=").Append(m.IngestionTimeUtc?.Ticks.ToString(CultureInfo.InvariantCulture));
            foreach (MeasurementProperty property in m.Properties)
            {
                text.Append(' ').Append(property.Name).Append('=').Append(property.Value);
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
