using System.Text.Json;
using MedTechEdge.Mapping.Expressions;
using MedTechEdge.Mapping.Normalization;

namespace MedTechEdge.Mapping.Templates;

/// <summary>
/// A compiled CalculatedContent device template (medtech-compat §3.3): the type match selects tokens
/// from the envelope, and every other expression is evaluated against the envelope with
/// <c>matchedToken</c> set to the match.
/// </summary>
internal sealed class CalculatedContentTemplate
{
    public required string TypeName { get; init; }

    public required ITemplateExpression TypeMatch { get; init; }

    public required ITemplateExpression DeviceId { get; init; }

    public required ITemplateExpression Timestamp { get; init; }

    public ITemplateExpression? PatientId { get; init; }

    public ITemplateExpression? EncounterId { get; init; }

    public ITemplateExpression? CorrelationId { get; init; }

    public required IReadOnlyList<ValueTemplate> Values { get; init; }

    /// <summary>
    /// Appends one measurement per match. Returns null, or the error that makes this message unusable
    /// (the caller discards what was appended: projection is all-or-nothing per message).
    /// </summary>
    public string? Project(JsonElement envelope, DateTime? ingestionTimeUtc, List<JsonElement> matches, List<Measurement> output)
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
            string? error = ProjectOne(envelope, matched, ingestionTimeUtc, output);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private string? ProjectOne(JsonElement envelope, JsonElement matched, DateTime? ingestionTimeUtc, List<Measurement> output)
    {
        // §3.3 step 3: device id, timestamp, correlation id, patient id, encounter id, then values.
        string? error = RequiredText(DeviceId, "DeviceIdExpression", envelope, matched, out string? deviceId);
        if (error is not null)
        {
            return error;
        }

        error = Timestamp.SelectSingle(envelope, matched, out ExpressionValue time);
        if (error is not null)
        {
            return error;
        }

        if (!time.Found || (!time.IsComputed && time.Element.ValueKind == JsonValueKind.Null))
        {
            return $"Unable to extract required value for [TimestampExpression] using {Timestamp.Text}";
        }

        if (!ValueText.TryToUtc(time, out DateTime occurrence))
        {
            return $"Unable to extract required value for [TimestampExpression]: Encountered an error while extracting value for [TimestampExpression] using expression {Timestamp.Text}";
        }

        string? correlationId = null;
        if (CorrelationId is not null)
        {
            error = RequiredText(CorrelationId, "CorrelationIdExpression", envelope, matched, out correlationId);
            if (error is not null)
            {
                return error;
            }
        }

        error = OptionalText(PatientId, envelope, matched, out string? patientId);
        if (error is not null)
        {
            return error;
        }

        error = OptionalText(EncounterId, envelope, matched, out string? encounterId);
        if (error is not null)
        {
            return error;
        }

        var measurement = new Measurement
        {
            Type = TypeName,
            OccurrenceTimeUtc = occurrence,
            IngestionTimeUtc = ingestionTimeUtc,
            DeviceId = deviceId!,
            PatientId = patientId,
            EncounterId = encounterId,
            CorrelationId = correlationId,
        };
        for (int v = 0; v < Values.Count; v++)
        {
            ValueTemplate value = Values[v];
            error = value.Required
                ? RequiredText(value.Expression, value.ValueName, envelope, matched, out string? text)
                : OptionalText(value.Expression, envelope, matched, out text);
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

    private static string? RequiredText(ITemplateExpression expression, string name, JsonElement envelope, JsonElement matched, out string? text)
    {
        text = null;
        string? error = expression.SelectSingle(envelope, matched, out ExpressionValue value);
        if (error is not null)
        {
            return error;
        }

        if (!value.Found)
        {
            return $"Unable to extract required value for [{name}] using {expression.Text}";
        }

        if (!ValueText.TryToText(value, out text))
        {
            return $"Unable to extract required value for [{name}]: Encountered an error while extracting value for [{name}] using expression {expression.Text}";
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return $"Unable to extract required value for [{name}]: A null or empty value was supplied for the required field [{name}]";
        }

        return null;
    }

    private static string? OptionalText(ITemplateExpression? expression, JsonElement envelope, JsonElement matched, out string? text)
    {
        text = null;
        if (expression is null)
        {
            return null;
        }

        string? error = expression.SelectSingle(envelope, matched, out ExpressionValue value);
        if (error is null && value.Found && ValueText.TryToText(value, out string? converted))
        {
            text = converted;
        }

        return error;
    }
}
