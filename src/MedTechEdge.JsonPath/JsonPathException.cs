using System.Text;

namespace MedTechEdge.JsonPath;

/// <summary>A JSONPath expression is not valid in the dialect it was parsed in.</summary>
/// <remarks>
/// The message names the position and repeats the expression with a caret under the offending character,
/// for example <c>Unexpected character ')' at position 12 in '$..[?(@.a >)]'</c>.
/// </remarks>
public sealed class JsonPathException : FormatException
{
    /// <summary>Creates an exception with a plain message and position 0.</summary>
    public JsonPathException()
        : this("Invalid JSONPath expression.", 0, string.Empty)
    {
    }

    /// <summary>Creates an exception with a plain message and position 0.</summary>
    public JsonPathException(string message)
        : this(message, 0, string.Empty)
    {
    }

    /// <summary>Creates an exception with a plain message, an inner exception and position 0.</summary>
    public JsonPathException(string message, Exception innerException)
        : base(message, innerException)
    {
        Expression = string.Empty;
        Reason = message;
    }

    internal JsonPathException(string reason, int position, string expression)
        : base(Format(reason, position, expression))
    {
        Position = position;
        Expression = expression;
        Reason = reason;
    }

    /// <summary>The 0-based character index into <see cref="Expression"/> where the error was found.</summary>
    public int Position { get; }

    /// <summary>The expression that failed to parse.</summary>
    public string Expression { get; }

    /// <summary>The reason without the position and caret decoration.</summary>
    public string Reason { get; }

    private static string Format(string reason, int position, string expression)
    {
        var sb = new StringBuilder(reason.Length + (expression.Length * 2) + 48);
        sb.Append(reason).Append(" at position ").Append(position).Append(" in '").Append(expression).Append("'.");
        // The caret line only lines up when the expression has no line breaks or tabs; it is still useful otherwise.
        sb.Append('\n').Append(expression).Append('\n').Append(' ', Math.Min(position, expression.Length)).Append('^');
        return sb.ToString();
    }
}
