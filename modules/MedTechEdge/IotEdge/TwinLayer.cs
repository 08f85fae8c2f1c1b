using System.Text.Json;

namespace MedTechEdge.IotEdge;

/// <summary>
/// The configuration taken from the twin, kept next to the store so it survives restarts and the module starts on
/// it even before edgeHub answers: <c>twin/applied.json</c> (settings, desired version, fingerprint) and the mapping
/// texts. It is the highest configuration layer. Written to temporary files and renamed, so a crash mid-write leaves
/// the previous layer.
/// </summary>
internal sealed class TwinLayer
{
    private const string AppliedFile = "applied.json";
    private const string DeviceFile = "devicecontent.json";
    private const string FhirFile = "fhirmapping.json";

    private TwinLayer(string folder, string fingerprint, long? version, IReadOnlyDictionary<string, string?> settings)
    {
        Folder = folder;
        Fingerprint = fingerprint;
        Version = version;
        Settings = settings;
    }

    /// <summary>The folder of the layer's files.</summary>
    public string Folder { get; }

    /// <summary>The fingerprint of the desired configuration this layer came from.</summary>
    public string Fingerprint { get; }

    /// <summary>The desired <c>$version</c> it came from.</summary>
    public long? Version { get; }

    /// <summary>Configuration keys, the mapping paths included when the twin carried mappings.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>The layer's folder for a store at <paramref name="storePath"/>.</summary>
    public static string FolderFor(string storePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storePath)) ?? ".", "twin");

    /// <summary>The layer in <paramref name="folder"/>, or null when there is none (or it cannot be read: the module's own configuration then stands).</summary>
    public static TwinLayer? Load(string folder)
    {
        string path = Path.Combine(folder, AppliedFile);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty setting in root.GetProperty("settings").EnumerateObject())
            {
                settings[setting.Name] = setting.Value.GetString();
            }

            long? version = root.TryGetProperty("version", out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
            return new TwinLayer(folder, root.GetProperty("fingerprint").GetString() ?? string.Empty, version, settings);
        }
        catch (Exception ex) when (ex is JsonException or IOException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="desired"/> as the layer in <paramref name="folder"/>.</summary>
    public static TwinLayer Save(string folder, DesiredConfiguration desired)
    {
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>(desired.Settings, StringComparer.OrdinalIgnoreCase);
        if (desired.DeviceMapping is not null)
        {
            string path = Path.Combine(folder, DeviceFile);
            WriteAtomically(path, desired.DeviceMapping);
            settings["MedTechEdge:Mappings:Device"] = path;
        }

        if (desired.FhirMapping is not null)
        {
            string path = Path.Combine(folder, FhirFile);
            WriteAtomically(path, desired.FhirMapping);
            settings["MedTechEdge:Mappings:Fhir"] = path;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("fingerprint", desired.Fingerprint);
            if (desired.Version is long version)
            {
                writer.WriteNumber("version", version);
            }

            writer.WriteStartObject("settings");
            foreach (KeyValuePair<string, string?> setting in settings)
            {
                writer.WriteString(setting.Key, setting.Value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        WriteAtomically(Path.Combine(folder, AppliedFile), System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        return new TwinLayer(folder, desired.Fingerprint, desired.Version, settings);
    }

    /// <summary>Removes the layer: the module's own configuration applies again.</summary>
    public static void Delete(string folder)
    {
        File.Delete(Path.Combine(folder, AppliedFile));
    }

    /// <summary>Moves a layer the module could not start with out of the way, keeping it for the operator to read.</summary>
    public static void SetAside(string folder)
    {
        string path = Path.Combine(folder, AppliedFile);
        if (File.Exists(path))
        {
            File.Move(path, Path.Combine(folder, "rejected.json"), overwrite: true);
        }
    }

    private static void WriteAtomically(string path, string text)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
