using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using MedTechEdge.JsonPath.Ast;
using MedTechEdge.JsonPath.Evaluation;
using MedTechEdge.JsonPath.Parsing;

namespace MedTechEdge.JsonPath;

/// <summary>
/// A JSONPath expression parsed once into a compiled form and evaluated over <see cref="JsonElement"/> documents.
/// Instances are immutable and safe to share between threads.
/// </summary>
public sealed class JsonPathExpression
{
    private readonly Query _query;
    private readonly SingularPath? _singular;

    private JsonPathExpression(string text, JsonPathDialect dialect, Query query)
    {
        Text = text;
        Dialect = dialect;
        _query = query;
        _singular = dialect == JsonPathDialect.MedTech ? SingularPath.TryCreate(query) : null;
    }

    /// <summary>The expression text as given to <see cref="Parse"/>.</summary>
    public string Text { get; }

    /// <summary>The dialect the expression was parsed in.</summary>
    public JsonPathDialect Dialect { get; }

    /// <summary>
    /// True when the query can select at most one node: only member names and single indices, no wildcards,
    /// slices, filters or descendant segments (RFC 9535 §2.3.5.1 singular query).
    /// </summary>
    public bool IsSingular => _query.IsSingular;

    internal Query Query => _query;

    /// <summary>
    /// True when <see cref="TrySelectOne(JsonElement, string?, JsonElement, out JsonElement)"/> applies: a MedTech query
    /// of member names and single indices only, resolved by direct lookups.
    /// </summary>
    public bool CanSelectOne => _singular is not null;

    /// <summary>Parses <paramref name="expression"/> in <paramref name="dialect"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="expression"/> is null.</exception>
    /// <exception cref="JsonPathException">The expression is not valid; the exception carries the position.</exception>
    public static JsonPathExpression Parse(string expression, JsonPathDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(expression);
        Query query = dialect switch
        {
            JsonPathDialect.MedTech => MedTechParser.Parse(expression),
            JsonPathDialect.Rfc9535 => RfcParser.Parse(expression),
            _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "Unknown JSONPath dialect."),
        };
        return new JsonPathExpression(expression, dialect, query);
    }

    /// <summary>Parses <paramref name="expression"/>; returns false with the error instead of throwing.</summary>
    public static bool TryParse(
        string expression,
        JsonPathDialect dialect,
        [NotNullWhen(true)] out JsonPathExpression? result,
        [NotNullWhen(false)] out JsonPathException? error)
    {
        try
        {
            result = Parse(expression, dialect);
            error = null;
            return true;
        }
        catch (JsonPathException e)
        {
            result = null;
            error = e;
            return false;
        }
    }

    /// <summary>Appends the nodes the expression selects from <paramref name="root"/> to <paramref name="output"/>, in order.</summary>
    /// <returns>
    /// Null; or, in the MedTech dialect, where Json.NET would have thrown while enumerating (docs/jsonpath.md, D4):
    /// the caller decides, and <paramref name="output"/> is then not Json.NET's answer. RFC 9535 never faults.
    /// </returns>
    /// <remarks>Never throws for a valid <paramref name="root"/>; nothing selected leaves <paramref name="output"/> unchanged.</remarks>
    public JsonPathFault? Select(JsonElement root, List<JsonElement> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_singular is not null)
        {
            // Names and indices only: no comparison, nothing to fault.
            _singular.Select(root, null, null, default, output);
            return null;
        }

        return Evaluator.Run(_query, root, null, default, output);
    }

    /// <summary>
    /// Like <see cref="Select(JsonElement, List{JsonElement})"/>, but <paramref name="root"/> behaves as if it had one
    /// extra member <paramref name="extraMemberName"/> = <paramref name="extraMemberValue"/>, added last and hiding any
    /// member of that name. Descendant segments see it too. This is MedTech's <c>matchedToken</c> without copying
    /// the envelope. When <paramref name="root"/> is not an object the extra member is ignored; selecting the root
    /// itself returns <paramref name="root"/> unchanged.
    /// </summary>
    /// <returns>As <see cref="Select(JsonElement, List{JsonElement})"/>.</returns>
    public JsonPathFault? Select(JsonElement root, string extraMemberName, JsonElement extraMemberValue, List<JsonElement> output)
    {
        ArgumentNullException.ThrowIfNull(extraMemberName);
        ArgumentNullException.ThrowIfNull(output);
        if (_singular is not null)
        {
            _singular.Select(root, null, extraMemberName, extraMemberValue, output);
            return null;
        }

        return Evaluator.Run(_query, root, extraMemberName, extraMemberValue, output);
    }

    /// <summary>
    /// Evaluates over a <see cref="VirtualObject"/> root, optionally with an extra member as in
    /// <see cref="Select(JsonElement, string, JsonElement, List{JsonElement})"/>. A selected virtual root itself is
    /// appended as <c>default(JsonElement)</c>. MedTech dialect only.
    /// </summary>
    /// <exception cref="InvalidOperationException">The expression is not in the MedTech dialect.</exception>
    /// <returns>As <see cref="Select(JsonElement, List{JsonElement})"/>.</returns>
    public JsonPathFault? Select(VirtualObject root, string? extraMemberName, JsonElement extraMemberValue, List<JsonElement> output)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(output);
        if (Dialect != JsonPathDialect.MedTech)
        {
            throw new InvalidOperationException("Only MedTech-dialect expressions evaluate over a virtual object.");
        }

        if (_singular is not null)
        {
            _singular.Select(default, root, extraMemberName, extraMemberValue, output);
            return null;
        }

        return Evaluator.Run(_query, default, root, extraMemberName, extraMemberValue, output);
    }

    /// <summary>
    /// The node a <see cref="CanSelectOne"/> query selects, if any, without a result list; <paramref name="extraMemberName"/>
    /// works as in <see cref="Select(JsonElement, string, JsonElement, List{JsonElement})"/> (null for none).
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="CanSelectOne"/> is false.</exception>
    public bool TrySelectOne(JsonElement root, string? extraMemberName, JsonElement extraMemberValue, out JsonElement value)
        => (_singular ?? throw NotSingular()).TrySelect(root, null, extraMemberName, extraMemberValue, out value);

    /// <summary>The same over a virtual root; selecting the root itself gives true and <c>default</c>.</summary>
    /// <exception cref="InvalidOperationException"><see cref="CanSelectOne"/> is false.</exception>
    public bool TrySelectOne(VirtualObject root, string? extraMemberName, JsonElement extraMemberValue, out JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(root);
        return (_singular ?? throw NotSingular()).TrySelect(default, root, extraMemberName, extraMemberValue, out value);
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private InvalidOperationException NotSingular()
        => new($"'{Text}' is not a MedTech query of member names and single indices; use Select.");
}
