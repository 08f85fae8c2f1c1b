using System.Text.Json;
using MedTechEdge.Mapping.Expressions;
using MedTechEdge.Mapping.Normalization;

namespace MedTechEdge.Mapping.Templates;

/// <summary>
/// A compiled device template. The type match selects tokens from the envelope; then either
/// (CalculatedContent, medtech-semantics §2.3) every other expression is evaluated against the envelope
/// with <c>matchedToken</c> set to the match, or (JsonPathContent and its Iot variants, §3.4-§3.6)
/// against the match itself.
/// </summary>
internal sealed class DeviceTemplate
{
    public required string TypeName { get; init; }

    /// <summary>Where the template's typeName is in the mapping file, for warnings.</summary>
    public (int Line, int Position) Location { get; init; }

    /// <summary>True for the legacy templates, whose expressions see the match as <c>$</c>.</summary>
    public bool RelativeToMatch { get; init; }

    public required ITemplateExpression TypeMatch { get; init; }

    public required ITemplateExpression DeviceId { get; init; }

    /// <summary>Candidates in order; the first that yields a usable time wins (IotJsonPathContent's fallback, §3.5).</summary>
    public required ITemplateExpression[] Timestamps { get; init; }

    public ITemplateExpression? PatientId { get; init; }

    public ITemplateExpression? EncounterId { get; init; }

    public ITemplateExpression? CorrelationId { get; init; }

    public required ValueTemplate[] Values { get; init; }

    /// <summary>
    /// Shared by templates whose header expressions (device id, timestamps, patient, encounter, correlation id)
    /// are the same compiled instances and see the same root, so a header extracted for a match by one of them
    /// is valid for the others.
    /// </summary>
    public object HeaderKey { get; set; } = new();

    /// <summary>True when another template has the same <see cref="HeaderKey"/>; only then can a header be reused.</summary>
    public bool SharesHeader { get; set; }

    /// <summary>True when <paramref name="other"/> extracts its header exactly as this template does.</summary>
    public bool SharesHeaderWith(DeviceTemplate other)
    {
        if (RelativeToMatch != other.RelativeToMatch || !ReferenceEquals(DeviceId, other.DeviceId) || !ReferenceEquals(PatientId, other.PatientId)
            || !ReferenceEquals(EncounterId, other.EncounterId) || !ReferenceEquals(CorrelationId, other.CorrelationId)
            || Timestamps.Length != other.Timestamps.Length)
        {
            return false;
        }

        for (int i = 0; i < Timestamps.Length; i++)
        {
            if (!ReferenceEquals(Timestamps[i], other.Timestamps[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Appends one measurement per match. Returns null, or the error that makes this message unusable
    /// (the caller discards what was appended: projection is all-or-nothing per message).
    /// </summary>
    public string? Project(in TemplateRoot envelope, DateTime? ingestionTimeUtc, List<JsonElement> matches, HeaderCache headers, List<Measurement> output)
    {
        matches.Clear();
        string? matchError = TypeMatch.SelectMany(envelope, matches);
        if (matchError is not null)
        {
            return matchError;
        }

        for (int i = 0; i < matches.Count; i++)
        {
            JsonElement matched = matches[i];
            string? error = ProjectOne(envelope, matched, ingestionTimeUtc, headers, output);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private string? ProjectOne(in TemplateRoot envelope, JsonElement match, DateTime? ingestionTimeUtc, HeaderCache headers, List<Measurement> output)
    {
        // Legacy templates evaluate against the match itself; CalculatedContent against the envelope plus matchedToken.
        // An Undefined match is the (virtual) envelope itself: as a root it stays virtual; as matchedToken it is composed.
        bool matchIsEnvelope = match.ValueKind == JsonValueKind.Undefined;
        TemplateRoot root = !RelativeToMatch ? envelope : matchIsEnvelope ? envelope : TemplateRoot.Of(match);
        JsonElement? matched = RelativeToMatch ? null : matchIsEnvelope ? envelope.ToElement() : match;

        // Another template of this message may already have extracted the same header for the same match.
        // (A template meets each node at most once, so a header nobody else shares is never looked up again.)
        int offset = 0;
        int length = 0;
        bool located = SharesHeader && HeaderCache.TryLocate(envelope.MatchSpace, match, out offset, out length);
        if (!located || !headers.TryGet(HeaderKey, offset, length, out HeaderCache.Header header))
        {
            string? headerError = ExtractHeader(root, matched, out header);
            if (headerError is not null)
            {
                return headerError;
            }

            if (located)
            {
                headers.Add(HeaderKey, offset, length, header);
            }
        }

        string? error;
        Measurement measurement = header.NewMeasurement(TypeName, ingestionTimeUtc);
        for (int v = 0; v < Values.Length; v++)
        {
            ValueTemplate value = Values[v];
            error = value.Required
                ? RequiredText(value.Expression, value.ValueName, root, matched, out string? text)
                : OptionalText(value.Expression, root, matched, out text);
            if (error is not null)
            {
                return error;
            }

            // Not required: a missing or unconvertible value is left out, a blank string is kept (§3.8).
            if (text is not null)
            {
                measurement.Properties.Add(new MeasurementProperty(value.ValueName, text));
            }
        }

        output.Add(measurement);
        return null;
    }

    /// <summary>§3.3 step 3: device id, timestamp, correlation id, patient id, encounter id (values follow).</summary>
    private string? ExtractHeader(in TemplateRoot root, JsonElement? matched, out HeaderCache.Header header)
    {
        header = default;
        string? error = RequiredText(DeviceId, "DeviceIdExpression", root, matched, out string? deviceId);
        if (error is not null)
        {
            return error;
        }

        error = ExtractTimestamp(root, matched, out DateTime occurrence);
        if (error is not null)
        {
            return error;
        }

        string? correlationId = null;
        if (CorrelationId is not null)
        {
            error = RequiredText(CorrelationId, "CorrelationIdExpression", root, matched, out correlationId);
            if (error is not null)
            {
                return error;
            }
        }

        error = OptionalText(PatientId, root, matched, out string? patientId);
        if (error is not null)
        {
            return error;
        }

        error = OptionalText(EncounterId, root, matched, out string? encounterId);
        if (error is not null)
        {
            return error;
        }

        header = new HeaderCache.Header(deviceId!, occurrence, patientId, encounterId, correlationId);
        return null;
    }

    private string? ExtractTimestamp(in TemplateRoot root, JsonElement? matched, out DateTime occurrence)
    {
        occurrence = default;
        string? conversionError = null;
        for (int t = 0; t < Timestamps.Length; t++)
        {
            ITemplateExpression candidate = Timestamps[t];
            string? error = candidate.SelectSingle(root, matched, out ExpressionValue time);
            if (error is not null)
            {
                return error;
            }

            if (!time.Found || (!time.IsComputed && time.Element.ValueKind == JsonValueKind.Null))
            {
                continue;
            }

            if (ValueText.TryToUtc(time, out occurrence))
            {
                return null;
            }

            conversionError ??= NormalizationErrors.TimestampUnconvertible(candidate.Text);
        }

        return conversionError ?? NormalizationErrors.TimestampMissing(Timestamps[0].Text);
    }

    private static string? RequiredText(ITemplateExpression expression, string name, in TemplateRoot root, JsonElement? matched, out string? text)
    {
        text = null;
        string? error = expression.SelectSingle(root, matched, out ExpressionValue value);
        if (error is not null)
        {
            return error;
        }

        if (!value.Found)
        {
            return NormalizationErrors.Missing(name, expression.Text);
        }

        if (!ValueText.TryToText(value, out text))
        {
            return NormalizationErrors.Unconvertible(name, expression.Text);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return NormalizationErrors.Blank(name);
        }

        return null;
    }

    private static string? OptionalText(ITemplateExpression? expression, in TemplateRoot root, JsonElement? matched, out string? text)
    {
        text = null;
        if (expression is null)
        {
            return null;
        }

        string? error = expression.SelectSingle(root, matched, out ExpressionValue value);
        if (error is null && value.Found && ValueText.TryToText(value, out string? converted))
        {
            text = converted;
        }

        return error;
    }
}
