using System.Text;
using System.Text.Json;

namespace MedTechEdge.Mapping.Templates;

/// <summary>Parses a mapping file once for loading: the tree plus the location of every member.</summary>
internal static class MappingDocument
{
    private static readonly JsonDocumentOptions s_options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Returns the root, or null with a located syntax error recorded.</summary>
    public static JsonDocument? Parse(string json, out TemplateContext context)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        try
        {
            JsonDocument document = JsonDocument.Parse(utf8, s_options);
            context = new TemplateContext(JsonLocationIndex.Build(utf8));
            return document;
        }
        catch (JsonException ex)
        {
            context = new TemplateContext(JsonLocationIndex.Empty);
            int line = (int)(ex.LineNumber ?? -1) + 1;
            int position = (int)(ex.BytePositionInLine ?? -1) + 1;
            context.Errors.Add(new TemplateError("The mapping is not valid JSON: " + ex.Message, line, position));
            return null;
        }
    }

    /// <summary>
    /// Checks the container shape <c>{"templateType": ..., "template": [...]}</c> and returns the array.
    /// </summary>
    public static bool TryGetCollection(TemplateContext context, JsonElement root, Func<string, bool> isCollectionType, string collectionName, out JsonElement templates)
    {
        templates = default;
        if (root.ValueKind != JsonValueKind.Object)
        {
            context.Error(string.Empty, $"The mapping must be a JSON object with templateType '{collectionName}'.");
            return false;
        }

        context.RejectUnknownMembers(root, string.Empty, collectionName, "templateType", "template");
        string? type = context.RequiredString(root, string.Empty, "templateType");
        if (type is null)
        {
            return false;
        }

        if (!isCollectionType(type))
        {
            context.Error("/templateType", $"No match found for template type {type}. The root template must be {collectionName}.");
            return false;
        }

        if (!TemplateContext.TryGetMember(root, "template", out templates, out string actual) || templates.ValueKind != JsonValueKind.Array)
        {
            context.Error(actual.Length > 0 ? "/" + actual : string.Empty, $"Expected an array for the template property value for template type {collectionName}.");
            return false;
        }

        return true;
    }
}
