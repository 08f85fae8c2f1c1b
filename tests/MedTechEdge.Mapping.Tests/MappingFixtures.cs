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
        using JsonDocument envelope = Envelope(body);
        var output = new List<Measurement>();
        string? error = mapping.Normalize(envelope.RootElement, new DateTime(2026, 11, 21, 17, 0, 1, DateTimeKind.Utc), output);
        Assert.Null(error);
        return output;
    }
}
