using System.Text.Json;
using MedTechEdge.Mapping.Expressions;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Normalization.Streaming;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping;

/// <summary>
/// A loaded device mapping (a MedTech <c>CollectionContent</c>): compiled once, then used to normalize
/// any number of device messages, from any thread.
/// </summary>
public sealed class DeviceMapping
{
    [ThreadStatic]
    private static List<JsonElement>? t_matches;

    private readonly DeviceTemplate[] _templates;
    private readonly StreamingPlan? _streaming;

    private DeviceMapping(DeviceTemplate[] templates, IReadOnlyList<TemplateError> warnings)
    {
        _templates = templates;
        Warnings = warnings;
        _streaming = StreamingPlanCompiler.TryCompile(templates);
    }

    /// <summary>Warnings found at load; they do not stop the mapping from working.</summary>
    public IReadOnlyList<TemplateError> Warnings { get; }

    internal IReadOnlyList<DeviceTemplate> Templates => _templates;

    /// <summary>How many templates the mapping holds (the host's start-up log names it).</summary>
    public int TemplateCount => _templates.Length;

    /// <summary>
    /// True when every template has the simple shape <see cref="TryNormalizeStreaming"/> evaluates in one reader
    /// pass (decided once, at load); false when every message takes the JSONPath engine's path.
    /// </summary>
    public bool HasStreamingPlan => _streaming is not null;

    /// <summary>The type names the mapping can emit, in template order.</summary>
    public IEnumerable<string> TypeNames => _templates.Select(t => t.TypeName);

    /// <summary>Loads a mapping; throws <see cref="TemplateLoadException"/> with every error found.</summary>
    public static DeviceMapping Load(string json) =>
        TryLoad(json, out DeviceMapping? mapping, out IReadOnlyList<TemplateError> errors) ? mapping! : throw new TemplateLoadException(errors);

    /// <summary>Loads a mapping, reporting every error (with line and position) instead of throwing.</summary>
    public static bool TryLoad(string json, out DeviceMapping? mapping, out IReadOnlyList<TemplateError> errors)
    {
        ArgumentNullException.ThrowIfNull(json);
        mapping = null;
        using JsonDocument? document = MappingDocument.Parse(json, out TemplateContext context);
        errors = context.Errors;
        if (document is null
            || !MappingDocument.TryGetCollection(context, document.RootElement, TemplateTypeNames.IsCollectionContent, "CollectionContent", out JsonElement items))
        {
            return false;
        }

        var templates = new List<DeviceTemplate>();
        int index = 0;
        foreach (JsonElement item in items.EnumerateArray())
        {
            DeviceTemplate? template = DeviceTemplateFactory.Create(context, item, "/template/" + index);
            if (template is not null)
            {
                templates.Add(template);
            }

            index++;
        }

        if (context.HasErrors)
        {
            return false;
        }

        for (int i = 0; i < templates.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (templates[i].SharesHeaderWith(templates[j]))
                {
                    templates[i].HeaderKey = templates[j].HeaderKey;
                    templates[i].SharesHeader = templates[j].SharesHeader = true;
                    break;
                }
            }
        }

        mapping = new DeviceMapping([.. templates], context.Errors);
        return true;
    }

    /// <summary>
    /// Projects one device message into measurements, appended to <paramref name="output"/>. All or
    /// nothing: on an error, nothing is appended and the error (naming the field and the expression) is returned.
    /// </summary>
    /// <param name="envelope">The envelope from <see cref="DeviceEnvelope.TryCreate"/>.</param>
    /// <param name="ingestionTimeUtc">When the module received the message.</param>
    /// <param name="output">Receives the measurements.</param>
    public MappingError? Normalize(DeviceEnvelope envelope, DateTime? ingestionTimeUtc, List<Measurement> output)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return Normalize(TemplateRoot.Of(envelope), ingestionTimeUtc, output);
    }

    /// <summary>
    /// Normalizes one message in a single forward pass over its body, with no envelope and no document, when the
    /// mapping has a streaming plan (<see cref="HasStreamingPlan"/>) and the message is one the plan answers exactly
    /// as <see cref="Normalize(DeviceEnvelope, DateTime?, List{Measurement})"/> would: the same measurements in the
    /// same order, or the same error. Returns false, with nothing appended, for every other message (malformed JSON
    /// included); the caller then builds the envelope and normalizes through the engine.
    /// </summary>
    /// <param name="body">The body bytes as received (UTF-8 JSON).</param>
    /// <param name="properties">Application properties, a UTF-8 JSON object.</param>
    /// <param name="systemProperties">Broker properties, a UTF-8 JSON object.</param>
    /// <param name="ingestionTimeUtc">When the module received the message.</param>
    /// <param name="output">Receives the measurements.</param>
    /// <param name="error">The normalization error, when the plan answered with one (nothing is appended then).</param>
    public bool TryNormalizeStreaming(ReadOnlySpan<byte> body, ReadOnlySpan<byte> properties, ReadOnlySpan<byte> systemProperties, DateTime? ingestionTimeUtc, List<Measurement> output, out MappingError? error)
    {
        ArgumentNullException.ThrowIfNull(output);
        error = null;
        return _streaming is not null && _streaming.TryNormalize(body, properties, systemProperties, ingestionTimeUtc, output, out error);
    }

    /// <summary>
    /// The same over an envelope already composed into one element (see <see cref="DeviceEnvelope.TryBuild"/>).
    /// The pipeline uses the <see cref="DeviceEnvelope"/> overload, which never composes it.
    /// </summary>
    public MappingError? Normalize(JsonElement envelope, DateTime? ingestionTimeUtc, List<Measurement> output)
        => Normalize(TemplateRoot.Of(envelope), ingestionTimeUtc, output);

    private MappingError? Normalize(in TemplateRoot envelope, DateTime? ingestionTimeUtc, List<Measurement> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        List<JsonElement> matches = t_matches ??= new List<JsonElement>(8);
        HeaderCache headers = HeaderCache.Reset();
        int start = output.Count;
        for (int i = 0; i < _templates.Length; i++)
        {
            string? error = _templates[i].Project(envelope, ingestionTimeUtc, matches, headers, output);
            if (error is not null)
            {
                output.RemoveRange(start, output.Count - start);
                return new MappingError(MappingErrorKind.Normalization, _templates[i].TypeName, error);
            }
        }

        return null;
    }
}
