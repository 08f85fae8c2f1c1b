using System.Text.Json;

namespace MedTechEdge.Mapping.Expressions;

/// <summary>
/// A template expression compiled at load. Evaluation never throws for data reasons: it reports
/// through its return value, so one bad device message costs no exception on the hot path.
/// </summary>
internal interface ITemplateExpression
{
    /// <summary>The expression as written in the template.</summary>
    string Text { get; }

    /// <summary>Select-many: appends every match (the type-match expression).</summary>
    void SelectMany(JsonElement root, List<JsonElement> matches);

    /// <summary>
    /// Single value against <paramref name="root"/>, with <c>matchedToken</c> added to the root when
    /// <paramref name="matchedToken"/> is given. Returns false when more than one node matched.
    /// </summary>
    bool TrySelectSingle(JsonElement root, JsonElement? matchedToken, out ExpressionValue value);
}
