using System.Text.Json;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>A FHIR resource's <c>id</c> and <c>meta.versionId</c>, read from its JSON without building a document.</summary>
internal static class ResourceIdentity
{
    /// <summary>The two values, each null when absent; both null when the JSON is not an object.</summary>
    public static (string? Id, string? VersionId) Read(ReadOnlySpan<byte> resource)
    {
        string? id = null;
        string? versionId = null;
        var reader = new Utf8JsonReader(resource);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8) && reader.Read())
                {
                    id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("meta"u8) && reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    versionId = ReadVersionId(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return (null, null);
        }

        return (id, versionId);
    }

    private static string? ReadVersionId(ref Utf8JsonReader reader)
    {
        string? versionId = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("versionId"u8) && reader.Read())
            {
                versionId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            // Past the value (a no-op on a scalar, the whole of an object or array).
            reader.Skip();
        }

        return versionId;
    }
}
