using System.Text.Json;
using System.Diagnostics.CodeAnalysis;
using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Templates;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Mapping;

/// <summary>
/// A loaded FHIR destination mapping (a MedTech <c>CollectionFhir</c>): compiled once, used from any thread.
/// </summary>
public sealed class FhirMapping
{
    private readonly Dictionary<string, CodeValueFhirTemplate> _templates;

    // Written by any thread, read by any: a reference is read and written whole, and a stale one only costs a lookup.
    private LastHit? _lastHit;

    private FhirMapping(Dictionary<string, CodeValueFhirTemplate> templates, IReadOnlyList<TemplateError> warnings)
    {
        _templates = templates;
        Warnings = warnings;
    }

    /// <summary>Warnings found at load.</summary>
    public IReadOnlyList<TemplateError> Warnings { get; }

    /// <summary>How many templates the mapping holds (the host's start-up log names it).</summary>
    public int TemplateCount => _templates.Count;

    /// <summary>Loads a mapping; throws <see cref="TemplateLoadException"/> with every error found.</summary>
    public static FhirMapping Load(string json) =>
        TryLoad(json, out FhirMapping? mapping, out IReadOnlyList<TemplateError> errors) ? mapping! : throw new TemplateLoadException(errors);

    /// <summary>Loads a mapping, reporting every error (with line and position) instead of throwing.</summary>
    public static bool TryLoad(string json, out FhirMapping? mapping, out IReadOnlyList<TemplateError> errors)
    {
        ArgumentNullException.ThrowIfNull(json);
        mapping = null;
        using JsonDocument? document = MappingDocument.Parse(json, out TemplateContext context);
        errors = context.Errors;
        if (document is null
            || !MappingDocument.TryGetCollection(context, document.RootElement, TemplateTypeNames.IsCollectionFhir, "CollectionFhir", out JsonElement items))
        {
            return false;
        }

        // Type names are looked up case-insensitively, so duplicates are too (§7.1).
        var templates = new Dictionary<string, CodeValueFhirTemplate>(StringComparer.OrdinalIgnoreCase);
        int index = 0;
        foreach (JsonElement item in items.EnumerateArray())
        {
            string pointer = "/template/" + index++;
            CodeValueFhirTemplate? template = FhirTemplateFactory.Create(context, item, pointer);
            if (template is not null && !templates.TryAdd(template.TypeName, template))
            {
                context.Error(pointer, $"Duplicate template defined for type name: '{template.TypeName}'.");
            }
        }

        if (context.HasErrors)
        {
            return false;
        }

        mapping = new FhirMapping(templates, context.Errors);
        return true;
    }

    /// <summary>True when a template exists for <paramref name="typeName"/> (case-insensitive).</summary>
    public bool HasTemplate(string typeName) => _templates.ContainsKey(typeName);

    /// <summary>
    /// Checks that <paramref name="measurement"/> has a template and that every value it carries can be
    /// represented. Returns null, or the error. A measurement that passes cannot fail in grouping or creation.
    /// </summary>
    public MappingError? Check(Measurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        return TryGetTemplate(measurement.Type, out CodeValueFhirTemplate? template)
            ? ObservationGrouper.Check(template, measurement)
            : NoTemplate(measurement.Type);
    }

    /// <summary>A new grouping session over this mapping's templates.</summary>
    public MeasurementGrouping CreateGrouping() => new(this);

    /// <summary>
    /// Transforms one measurement into its Observation, appended to <paramref name="output"/>: a group of
    /// one. Returns null, or the error (no template for the type, a value that cannot be represented).
    /// </summary>
    public MappingError? Transform(Measurement measurement, ResourceReferences references, DateTime issuedUtc, List<FhirResource> output)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentNullException.ThrowIfNull(output);
        if (!TryGetTemplate(measurement.Type, out CodeValueFhirTemplate? template))
        {
            return NoTemplate(measurement.Type);
        }

        // One measurement is one group. A point-in-time Observation is written from the measurement itself; a SampledData
        // one from a group of it, whose only data error is a missing correlation id.
        FhirResource? observation;
        string? error;
        if (!template.UsesSampledData)
        {
            observation = ObservationWriter.Write(template, new PointInTimeValues(measurement), references, issuedUtc, out error);
        }
        else if (ObservationGrouper.Single(template, measurement, out ObservationGroup? group) is { } groupError)
        {
            return new MappingError(MappingErrorKind.CorrelationIdNotDefined, measurement.Type, groupError);
        }
        else
        {
            observation = ObservationWriter.Write(template, group!, references, issuedUtc, out error);
        }

        if (error is not null)
        {
            return new MappingError(MappingErrorKind.InvalidValue, measurement.Type, error);
        }

        output.Add(observation!);
        return null;
    }

    /// <summary>The new Observation for <paramref name="group"/> (medtech-semantics §5.2). Returns null, or the error.</summary>
    public MappingError? CreateObservation(ObservationGroup group, ResourceReferences references, DateTime issuedUtc, out FhirResource? observation)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(references);
        observation = null;
        if (!TryGetTemplate(group.Type, out CodeValueFhirTemplate? template))
        {
            return NoTemplate(group.Type);
        }

        observation = ObservationWriter.Write(template, group, references, issuedUtc, out string? error);
        return error is null ? null : new MappingError(MappingErrorKind.InvalidValue, group.Type, error);
    }

    /// <summary>
    /// Merges <paramref name="group"/> into the <paramref name="existing"/> Observation (medtech-semantics §7).
    /// Returns null, or the error; <paramref name="merged"/> is null when nothing changed (no write is needed).
    /// </summary>
    /// <param name="amend">Mark a changed result <c>amended</c>, as for the server's copy; false keeps the existing status (an unpublished window).</param>
    public MappingError? MergeObservation(ObservationGroup group, ReadOnlySpan<byte> existing, out byte[]? merged, bool amend = true)
    {
        ArgumentNullException.ThrowIfNull(group);
        merged = null;
        return TryGetTemplate(group.Type, out CodeValueFhirTemplate? template)
            ? Merged(group.Type, ObservationMerger.Merge(template, group, existing, out merged, amend))
            : NoTemplate(group.Type);
    }

    /// <summary>
    /// Merges an Observation this module produced (<paramref name="incoming"/>) into the copy the server
    /// holds (<paramref name="existing"/>), as <see cref="MergeObservation"/> does for a group. Returns null,
    /// or the error; <paramref name="merged"/> is null when nothing changed.
    /// </summary>
    /// <param name="amend">Mark a changed result <c>amended</c>, as for the server's copy; false keeps the existing status (an unpublished window).</param>
    public MappingError? MergeObservationJson(ReadOnlySpan<byte> existing, ReadOnlySpan<byte> incoming, out byte[]? merged, bool amend = true)
    {
        merged = null;
        ObservationGroup? group = ObservationReader.Read(this, incoming, out CodeValueFhirTemplate? template);
        return group is null
            ? new MappingError(MappingErrorKind.TemplateNotFound, null, "The incoming resource is not an Observation of a template in this mapping.")
            : Merged(group.Type, ObservationMerger.Merge(template!, group, existing, out merged, amend));
    }

    /// <summary>
    /// When the window of <paramref name="group"/> closes: the end of its hour or day for a SampledData template with
    /// an Hourly or Daily period; null when it has no fixed end (CorrelationId) or is not a window at all.
    /// </summary>
    public DateTime? WindowEnd(ObservationGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return TryGetTemplate(group.Type, out CodeValueFhirTemplate? template) && template.UsesSampledData
            && template.PeriodInterval is PeriodInterval.Hourly or PeriodInterval.Daily
            ? group.End
            : null;
    }

    /// <summary>True when Observations of <paramref name="typeName"/> collect values over a period, so a later write must merge, not replace.</summary>
    public bool MergesOnWrite(string typeName) => TryGetTemplate(typeName, out CodeValueFhirTemplate? template) && template.UsesSampledData;

    /// <summary>
    /// The identifier (system, value) and the deterministic id of the Observation for <paramref name="group"/>,
    /// to look it up on the server before merging.
    /// </summary>
    public (string System, string Value, string Id)? ObservationIdentity(ObservationGroup group, ResourceReferences references)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(references);
        if (!TryGetTemplate(group.Type, out CodeValueFhirTemplate? template))
        {
            return null;
        }

        string value = ObservationWriter.IdentifierValue(template, group, references);
        return (MappingNames.ServiceSystem, value, DeterministicId.For(ObservationWriter.IdPrefix, value));
    }

    internal bool TryGetTemplate(string typeName, [NotNullWhen(true)] out CodeValueFhirTemplate? template)
    {
        // Measurements carry their device template's own TypeName instance, so the last hit is usually the
        // same string object: checked by reference before the case-insensitive lookup.
        LastHit? last = _lastHit;
        if (last is not null && ReferenceEquals(last.Name, typeName))
        {
            template = last.Template;
            return true;
        }

        if (_templates.TryGetValue(typeName, out template))
        {
            _lastHit = new LastHit(typeName, template);
            return true;
        }

        return false;
    }

    internal static MappingError NoTemplate(string typeName) =>
        new(MappingErrorKind.TemplateNotFound, typeName, $"No FHIR template for type '{typeName}' (type names are matched case-insensitively).");

    // The merger's data errors: values that cannot join the existing Observation (or the values themselves, not decimals).
    private static MappingError? Merged(string typeName, string? error) => error is null ? null : new MappingError(MappingErrorKind.MergeConflict, typeName, error);

    private sealed record LastHit(string Name, CodeValueFhirTemplate Template);
}
