using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Observability;

/// <summary>
/// Whether the mapping files the module is configured with still load. The module maps with what it loaded at start
/// (it refuses to start with an invalid file), so a file changed on its volume afterwards does not stop the data; but
/// the next start would fail on it. Readiness reports that before the restart does. A file is loaded again only when
/// its size or write time changed, so a probe costs two stat calls.
/// </summary>
internal sealed class MappingFileCheck
{
    private readonly Lock _gate = new();
    private readonly Entry[] _files;

    /// <param name="devicePath">The device mapping file, as the module resolved it.</param>
    /// <param name="fhirPath">The FHIR mapping file, as the module resolved it.</param>
    public MappingFileCheck(string devicePath, string fhirPath)
    {
        _files =
        [
            new Entry("device", devicePath, json => DeviceMapping.TryLoad(json, out _, out IReadOnlyList<TemplateError> errors) ? null : errors),
            new Entry("FHIR", fhirPath, json => FhirMapping.TryLoad(json, out _, out IReadOnlyList<TemplateError> errors) ? null : errors),
        ];

        // The module loaded these files a moment ago: they were valid as they are now.
        foreach (Entry file in _files)
        {
            file.Stamp = Stamp(file.Path);
        }
    }

    /// <summary>Adds a reason for each mapping file that is missing or no longer loads.</summary>
    public void Check(List<string> reasons)
    {
        lock (_gate)
        {
            foreach (Entry file in _files)
            {
                (long, DateTime)? stamp = Stamp(file.Path);
                if (stamp != file.Stamp)
                {
                    file.Stamp = stamp;
                    file.Problem = stamp is null ? $"the {file.Kind} mapping file '{file.Path}' does not exist" : Validate(file);
                }

                if (file.Problem is not null)
                {
                    reasons.Add("mappings: " + file.Problem + "; the module maps with the version it loaded at start, and will not start on this one");
                }
            }
        }
    }

    private static string? Validate(Entry file)
    {
        string json;
        try
        {
            json = File.ReadAllText(file.Path);
        }
        catch (IOException ex)
        {
            return $"the {file.Kind} mapping file '{file.Path}' cannot be read: {ex.Message}";
        }

        IReadOnlyList<TemplateError>? errors = file.Load(json);
        // Template errors describe the template (with line and position); a mapping holds no device data.
        return errors is null ? null : $"the {file.Kind} mapping file '{file.Path}' is invalid: {string.Join("; ", errors)}";
    }

    private static (long, DateTime)? Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.Length, info.LastWriteTimeUtc) : null;
    }

    private sealed class Entry(string kind, string path, Func<string, IReadOnlyList<TemplateError>?> load)
    {
        public string Kind { get; } = kind;

        public string Path { get; } = path;

        public Func<string, IReadOnlyList<TemplateError>?> Load { get; } = load;

        public (long, DateTime)? Stamp { get; set; }

        public string? Problem { get; set; }
    }
}
