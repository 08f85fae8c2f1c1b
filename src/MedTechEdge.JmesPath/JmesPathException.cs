namespace MedTechEdge.JmesPath;

/// <summary>
/// Raised when a JMESPath expression cannot be parsed, or when its evaluation fails.
/// </summary>
/// <remarks>
/// Parse-time errors (<see cref="JmesPathErrorKind.Syntax"/>, <see cref="JmesPathErrorKind.UnknownFunction"/>,
/// <see cref="JmesPathErrorKind.InvalidArity"/>) carry the 0-based <see cref="Position"/> of the offending token
/// in the expression, and their message ends with the expression and a caret line pointing at it.
/// </remarks>
public sealed class JmesPathException : FormatException
{
    /// <summary>Creates an exception of the given kind.</summary>
    /// <param name="errorKind">The error class.</param>
    /// <param name="message">The message.</param>
    /// <param name="position">The 0-based character position in the expression, or -1 when it does not apply.</param>
    public JmesPathException(JmesPathErrorKind errorKind, string message, int position = -1)
        : base(message)
    {
        ErrorKind = errorKind;
        Position = position;
    }

    /// <summary>The error class.</summary>
    public JmesPathErrorKind ErrorKind { get; }

    /// <summary>The 0-based character position in the expression text, or -1 for evaluation errors.</summary>
    public int Position { get; }
}
