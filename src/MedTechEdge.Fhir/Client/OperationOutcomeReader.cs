using System.Text.Json;

namespace MedTechEdge.Fhir.Client;

/// <summary>
/// Reads an OperationOutcome with <see cref="Utf8JsonReader"/>, keeping only severity, code,
/// diagnostics (or details.text) and expression. Property order is not guaranteed in FHIR JSON,
/// so <c>resourceType</c> is checked after the whole object has been read.
/// </summary>
internal static class OperationOutcomeReader
{
    /// <summary>Null when <paramref name="json"/> is empty, not JSON, or not an OperationOutcome.</summary>
    public static FhirOperationOutcome? TryRead(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            return ReadObject(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads the object the reader is positioned on (StartObject) and leaves the reader on its
    /// EndObject. Returns null if it is not an OperationOutcome.
    /// </summary>
    public static FhirOperationOutcome? ReadObject(ref Utf8JsonReader reader)
    {
        bool isOutcome = false;
        List<FhirOutcomeIssue>? issues = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("resourceType"u8))
            {
                reader.Read();
                isOutcome = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("OperationOutcome"u8);
            }
            else if (reader.ValueTextEquals("issue"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                issues = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        issues.Add(ReadIssue(ref reader));
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return isOutcome ? new FhirOperationOutcome(issues ?? []) : null;
    }

    private static FhirOutcomeIssue ReadIssue(ref Utf8JsonReader reader)
    {
        string severity = "";
        string code = "";
        string? diagnostics = null;
        string? detailsText = null;
        List<string>? expression = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("severity"u8))
            {
                severity = ReadString(ref reader) ?? "";
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                code = ReadString(ref reader) ?? "";
            }
            else if (reader.ValueTextEquals("diagnostics"u8))
            {
                diagnostics = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("details"u8))
            {
                detailsText = ReadDetailsText(ref reader);
            }
            else if (reader.ValueTextEquals("expression"u8) || (expression is null && reader.ValueTextEquals("location"u8)))
            {
                expression = ReadStrings(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return new FhirOutcomeIssue(severity, code, diagnostics ?? detailsText, (IReadOnlyList<string>?)expression ?? []);
    }

    // details is a CodeableConcept; only its text is kept.
    private static string? ReadDetailsText(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? text = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("text"u8))
            {
                text = ReadString(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return text;
    }

    private static List<string>? ReadStrings(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                values.Add(reader.GetString()!);
            }
            else
            {
                reader.Skip();
            }
        }

        return values;
    }

    // Positioned on a property name: reads its value, a string or anything else (skipped, null).
    internal static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }
}
