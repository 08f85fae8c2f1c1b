using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Hl7.Fhir.Validation;
using Xunit.Sdk;

namespace MedTechEdge.TestPeers;

/// <summary>
/// Firely's FHIR SDK as the referee of every FHIR resource the tests produce: the strict JSON parser (unknown
/// elements, codes outside a required enumeration, malformed primitives such as an instant without a time zone or
/// an id longer than 64 characters), then the POCO's own validation (cardinality, patterns) over the whole tree.
/// </summary>
/// <remarks>
/// Firely stays a test-only dependency: it is several times slower than the module's own writer, but it was written
/// by others from the same specification, so it catches what our tests, written by us, would agree with us on.
/// The counters are per test process; each reports them as it exits, for <c>./test.sh</c> to sum.
/// </remarks>
public static class FhirResourceAssert
{
    // Strict: no parser issue is filtered out, and narrative XHTML is checked too.
    private static readonly FhirJsonDeserializer s_strict =
        new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));

    // Bytes of each NDJSON file already checked, so a folder checked again (a module restarted on it, a second
    // disposal) costs only what was appended since.
    private static readonly ConcurrentDictionary<string, long> s_ndjsonChecked = new(StringComparer.Ordinal);

    // Registered when the class is first used, so only processes that checked something report.
    private static readonly bool s_reporting = ReportOnExit();

    private static long s_checked;
    private static long s_invalid;

    /// <summary>Resources checked by this test process so far.</summary>
    public static long Checked => Interlocked.Read(ref s_checked);

    /// <summary>Of those, the ones with at least one problem.</summary>
    public static long Invalid => Interlocked.Read(ref s_invalid);

    /// <summary>Fails the test unless <paramref name="json"/> is a valid FHIR R4 resource.</summary>
    /// <exception cref="XunitException">The message names the resource (<c>Type/id</c>) and lists every problem.</exception>
    public static void Valid(string json) => Valid(Encoding.UTF8.GetBytes(json));

    /// <inheritdoc cref="Valid(string)"/>
    public static void Valid(ReadOnlySpan<byte> utf8)
    {
        IReadOnlyList<string> problems = Problems(utf8, out string name);
        if (problems.Count > 0)
        {
            throw new XunitException(Describe(name, problems));
        }
    }

    /// <summary>Fails the test unless every one of <paramref name="resources"/> is valid; lists every invalid one.</summary>
    public static void AllValid(IEnumerable<string> resources, string where)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var failures = new StringBuilder();
        foreach (string json in resources)
        {
            IReadOnlyList<string> problems = Problems(Encoding.UTF8.GetBytes(json), out string name);
            if (problems.Count > 0)
            {
                failures.AppendLine(Describe(name, problems));
            }
        }

        if (failures.Length > 0)
        {
            throw new XunitException($"Firely rejects FHIR resources {where}:{Environment.NewLine}{failures}");
        }
    }

    /// <summary>
    /// Checks every line the module's NDJSON sink wrote under <paramref name="folder"/> (files named after a FHIR
    /// resource type, <c>Observation.ndjson</c> and so on, in any subfolder) and not checked before.
    /// </summary>
    /// <remarks>
    /// A last line without its newline is one the sink was writing when its process was killed; the sink cuts it off
    /// at its next start (NdjsonFileSink.TrimTornTail), so it is not a resource the module delivered.
    /// </remarks>
    public static void NdjsonValid(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        var failures = new StringBuilder();
        foreach (string file in Directory.EnumerateFiles(folder, "*.ndjson", SearchOption.AllDirectories))
        {
            if (!ModelInfo.IsKnownResource(Path.GetFileNameWithoutExtension(file)))
            {
                continue;
            }

            CheckNdjsonFile(file, failures);
        }

        if (failures.Length > 0)
        {
            throw new XunitException($"Firely rejects NDJSON output under {folder}:{Environment.NewLine}{failures}");
        }
    }

    /// <summary>
    /// Every problem Firely finds in <paramref name="utf8"/>, empty when it is valid; counts it as checked.
    /// </summary>
    /// <param name="utf8">One resource as JSON.</param>
    /// <param name="name"><c>Type/id</c> as far as the JSON says, for messages.</param>
    public static IReadOnlyList<string> Problems(ReadOnlySpan<byte> utf8, out string name)
    {
        Interlocked.Increment(ref s_checked);
        name = NameOf(utf8);
        var problems = new List<string>();
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!s_strict.TryDeserializeResource(ref reader, out Resource? resource, out IEnumerable<CodedException> issues))
            {
                foreach (CodedException issue in issues)
                {
                    problems.Add(issue.Message);
                }
            }
            else
            {
                // The parser validated each element as it was read; this walks the finished tree as a whole.
                foreach (CodedValidationException error in resource.Validate(narrativeValidation: NarrativeValidationKind.FhirXhtml))
                {
                    problems.Add(error.Message);
                }
            }
        }
        catch (JsonException ex)
        {
            problems.Add("not JSON: " + ex.Message);
        }

        if (problems.Count > 0)
        {
            Interlocked.Increment(ref s_invalid);
        }

        return problems;
    }

    // When MEDTECHEDGE_FHIR_CHECK_LOG names a file (./test.sh sets it), this process appends its counts to it as it
    // exits, "checked invalid test-folder", so the run can report one total over every test assembly.
    private static bool ReportOnExit()
    {
        string? log = Environment.GetEnvironmentVariable("MEDTECHEDGE_FHIR_CHECK_LOG");
        if (string.IsNullOrEmpty(log))
        {
            return false;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            File.AppendAllText(log, $"{Checked} {Invalid} {AppContext.BaseDirectory}{Environment.NewLine}");
        return true;
    }

    private static void CheckNdjsonFile(string file, StringBuilder failures)
    {
        string path = Path.GetFullPath(file);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long from = s_ndjsonChecked.GetValueOrDefault(path);
        if (from > stream.Length)
        {
            // The sink cut a torn tail off at start-up; what is left was checked up to here.
            from = stream.Length;
        }

        byte[] fresh = new byte[stream.Length - from];
        stream.Position = from;
        stream.ReadExactly(fresh);
        int end = Array.LastIndexOf(fresh, (byte)'\n') + 1;
        s_ndjsonChecked[path] = from + end;

        for (int start = 0; start < end;)
        {
            int newline = Array.IndexOf(fresh, (byte)'\n', start, end - start);
            var line = new ReadOnlySpan<byte>(fresh, start, newline - start);
            long offset = from + start;
            start = newline + 1;
            if (line.IsEmpty)
            {
                continue;
            }

            IReadOnlyList<string> problems = Problems(line, out string name);
            if (problems.Count > 0)
            {
                failures.AppendLine($"{path}, the line at byte {offset}: {Describe(name, problems)}");
            }
        }
    }

    private static string Describe(string name, IReadOnlyList<string> problems) =>
        $"{name}: {problems.Count} problem(s):{Environment.NewLine}  - " + string.Join(Environment.NewLine + "  - ", problems);

    // Type/id from the JSON alone, so a message can name even a resource the parser cannot read.
    private static string NameOf(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            string? type = null;
            string? id = null;
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string property = reader.GetString()!;
                    reader.Read();
                    if (property == "resourceType" && reader.TokenType == JsonTokenType.String)
                    {
                        type = reader.GetString();
                    }
                    else if (property == "id" && reader.TokenType == JsonTokenType.String)
                    {
                        id = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }

            return $"{type ?? "(no resourceType)"}/{id ?? "(no id)"}";
        }
        catch (JsonException)
        {
            return "(not JSON)";
        }
    }
}
