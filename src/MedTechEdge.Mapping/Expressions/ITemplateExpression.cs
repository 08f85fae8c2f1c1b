using System.Text.Json;

namespace MedTechEdge.Mapping.Expressions;

/// <summary>
/// A template expression compiled at load. Evaluation reports data problems through its return
/// value (an error message, or null), so a bad device message costs no exception in the caller.
/// </summary>
internal interface ITemplateExpression
{
    /// <summary>The expression as written in the template.</summary>
    string Text { get; }

    /// <summary>Select-many: appends every match (the type-match expression). Returns an error or null.</summary>
    /// <remarks>A match of <c>default</c> (Undefined) is the envelope itself: see <see cref="TemplateRoot.Resolve"/>.</remarks>
    string? SelectMany(in TemplateRoot root, List<JsonElement> matches);

    /// <summary>
    /// Single value against <paramref name="root"/>, with <c>matchedToken</c> added to the root when
    /// <paramref name="matchedToken"/> is given. Returns an error (e.g. more than one node) or null.
    /// </summary>
    string? SelectSingle(in TemplateRoot root, JsonElement? matchedToken, out ExpressionValue value);
}
