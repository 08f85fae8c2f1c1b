using System.Text.Json;
using MedTechEdge.Mapping.Normalization;

namespace MedTechEdge.Mapping.Tests;

internal static class MappingFixtures
{
    private static readonly Lazy<string> s_repoRoot = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedTechEdge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MedTechEdge.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The sample mappings the module ships: tests keep them loadable and correct.</summary>
    public static string BundledDeviceMapping => File.ReadAllText(Path.Combine(s_repoRoot.Value, "modules/MedTechEdge/mappings/devicecontent.json"));

    public static string BundledFhirMapping => File.ReadAllText(Path.Combine(s_repoRoot.Value, "modules/MedTechEdge/mappings/fhirmapping.json"));

    public static JsonDocument Envelope(string body, string properties = "{}", string systemProperties = "{}")
    {
        Assert.True(DeviceEnvelope.TryBuild(System.Text.Encoding.UTF8.GetBytes(body), properties, systemProperties, out JsonDocument? envelope, out string? error), error);
        return envelope!;
    }

    public static List<Measurement> Normalize(DeviceMapping mapping, string body)
    {
        var output = new List<Measurement>();
        string? error = NormalizeBothWays(mapping, body, "{}", "{}", new DateTime(2026, 11, 21, 17, 0, 1, DateTimeKind.Utc), output);
        Assert.Null(error);
        return output;
    }

    /// <summary>
    /// Normalizes through the pipeline's virtual envelope (<see cref="DeviceEnvelope.TryCreate"/>) and through the
    /// composed envelope document, asserts both give the same measurements (or the same error), and returns the first.
    /// Every mapping test that uses this also checks that the virtual envelope changes nothing a template can see.
    /// </summary>
    public static string? NormalizeBothWays(DeviceMapping mapping, string body, string properties, string systemProperties, DateTime? ingestion, List<Measurement> output)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(body);
        Assert.True(DeviceEnvelope.TryCreate(bytes, properties, systemProperties, out DeviceEnvelope? envelope, out string? createError), createError);
        string? error;
        using (envelope)
        {
            error = mapping.Normalize(envelope!, ingestion, output)?.Message;
        }

        using JsonDocument composed = Envelope(body, properties, systemProperties);
        var viaComposed = new List<Measurement>();
        string? composedError = mapping.Normalize(composed.RootElement, ingestion, viaComposed)?.Message;
        Assert.Equal(composedError, error);
        Assert.Equal(Describe(viaComposed), Describe(output));

        // And through the streaming plan, where the mapping has one and the message is one it answers.
        var streamed = new List<Measurement>();
        if (mapping.TryNormalizeStreaming(bytes, System.Text.Encoding.UTF8.GetBytes(properties), System.Text.Encoding.UTF8.GetBytes(systemProperties), ingestion, streamed, out MappingError? streamedError))
        {
            Assert.Equal(error, streamedError?.Message);
            Assert.Equal(Describe(output), Describe(streamed));
        }
        else
        {
            Assert.Empty(streamed);
        }

        return error;
    }

    /// <summary>The same, from an envelope composed with <see cref="Envelope"/>.</summary>
    public static string? NormalizeBothWays(DeviceMapping mapping, JsonDocument composed, List<Measurement> output)
    {
        JsonElement root = composed.RootElement;
        return NormalizeBothWays(
            mapping,
            root.GetProperty("Body").GetRawText(),
            root.GetProperty("Properties").GetRawText(),
            root.GetProperty("SystemProperties").GetRawText(),
            null,
            output);
    }

    /// <summary>Measurements as their normalized JSON, every field included: equal texts, equal measurements.</summary>
    public static string Describe(List<Measurement> measurements)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (Measurement m in measurements)
            {
                MeasurementJson.Write(writer, m);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
