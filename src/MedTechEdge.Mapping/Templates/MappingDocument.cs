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

    /// <summary>
    /// Reads one item of a collection: <c>{"templateType": "...", "template": {...}}</c>. Returns false,
    /// with the errors recorded, when the item is not that shape.
    /// </summary>
    public static bool TryReadItem(TemplateContext context, JsonElement item, string pointer, string collectionName, out string type, out JsonElement body, out string bodyPointer)
    {
        type = string.Empty;
        body = default;
        bodyPointer = pointer;
        if (item.ValueKind != JsonValueKind.Object)
        {
            context.Error(pointer, $"Expected an object for each template of {collectionName}.");
            return false;
        }

        context.RejectUnknownMembers(item, pointer, "TemplateContainer", "templateType", "template");
        string? name = context.RequiredString(item, pointer, "templateType");
        if (name is null)
        {
            return false;
        }

        type = name;
        if (!TemplateContext.TryGetMember(item, "template", out body, out string bodyName) || body.ValueKind != JsonValueKind.Object)
        {
            context.Error(pointer, $"Expected an object for the template property value for template type {type}.");
            return false;
        }

        bodyPointer = pointer + "/" + bodyName;
        return true;
    }
}
