using System.Text.Json;

namespace MedTechEdge.Fhir.Client;

/// <summary>
/// Streams a transaction-response or batch-response Bundle and keeps each <c>entry.response</c>; echoed resources
/// are skipped without being materialized, and only located (a view of the body) when the body is given as memory.
/// </summary>
internal static class BundleResponseReader
{
    /// <exception cref="FormatException">The body is not a JSON object with an <c>entry</c> array.</exception>
    public static IReadOnlyList<FhirBundleEntryResponse> Read(ReadOnlySpan<byte> bundleJson) => Read(bundleJson, ReadOnlyMemory<byte>.Empty);

    /// <summary>As <see cref="Read(ReadOnlySpan{byte})"/>, and each entry's <c>resource</c> as a slice of <paramref name="bundleJson"/>.</summary>
    /// <exception cref="FormatException">The body is not a JSON object with an <c>entry</c> array.</exception>
    public static IReadOnlyList<FhirBundleEntryResponse> ReadWithResources(ReadOnlyMemory<byte> bundleJson) => Read(bundleJson.Span, bundleJson);

    private static IReadOnlyList<FhirBundleEntryResponse> Read(ReadOnlySpan<byte> bundleJson, ReadOnlyMemory<byte> source)
    {
        try
        {
            var reader = new Utf8JsonReader(bundleJson);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("A Bundle must be a JSON object.");
            }

            List<FhirBundleEntryResponse>? entries = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("entry"u8))
                {
                    reader.Skip();
                    continue;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new FormatException("Bundle.entry must be an array.");
                }

                entries = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    entries.Add(ReadEntry(ref reader, source));
                }
            }

            // FHIR JSON omits empty arrays, so a Bundle with no entries has no "entry" at all.
            return (IReadOnlyList<FhirBundleEntryResponse>?)entries ?? [];
        }
        catch (JsonException ex)
        {
            throw new FormatException("The Bundle is not valid JSON: " + ex.Message, ex);
        }
    }

    private static FhirBundleEntryResponse ReadEntry(ref Utf8JsonReader reader, ReadOnlyMemory<byte> source)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("Bundle.entry items must be objects.");
        }

        string? status = null, location = null, etag = null, lastModified = null;
        FhirOperationOutcome? outcome = null;
        ReadOnlyMemory<byte> resource = ReadOnlyMemory<byte>.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!source.IsEmpty && reader.ValueTextEquals("resource"u8))
            {
                // The resource's bytes as sent, wherever it stands in the entry (servers put it before or after "response").
                reader.Read();
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    resource = source[start..(int)reader.BytesConsumed];
                }

                continue;
            }

            if (!reader.ValueTextEquals("response"u8))
            {
                reader.Skip();
                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("status"u8))
                {
                    status = OperationOutcomeReader.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("location"u8))
                {
                    location = OperationOutcomeReader.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("etag"u8))
                {
                    etag = OperationOutcomeReader.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("lastModified"u8))
                {
                    lastModified = OperationOutcomeReader.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("outcome"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        outcome = OperationOutcomeReader.ReadObject(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return new FhirBundleEntryResponse(status, location, etag, lastModified, outcome) { Resource = resource };
    }
}
