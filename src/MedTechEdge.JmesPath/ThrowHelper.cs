using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace MedTechEdge.JmesPath;

/// <summary>Cold throw paths, kept out of the evaluation loops so the hot call sites stay one line long.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowSyntax(string expression, int position, string reason) =>
        throw CreateAtPosition(JmesPathErrorKind.Syntax, expression, position, "Syntax error: " + reason);

    public static JmesPathException CreateSyntaxError(string expression, int position, string reason) =>
        CreateAtPosition(JmesPathErrorKind.Syntax, expression, position, "Syntax error: " + reason);

    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowAtPosition(JmesPathErrorKind kind, string expression, int position, string message) =>
        throw CreateAtPosition(kind, expression, position, message);

    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowInvalidValue(string message) =>
        throw new JmesPathException(JmesPathErrorKind.InvalidValue, message);

    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowOverflow(string function) =>
        throw new JmesPathException(
            JmesPathErrorKind.Overflow,
            $"Error: overflow, function {function} produced an integer outside the 64-bit range.");

    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowDivideByZero(string function) =>
        throw new JmesPathException(
            JmesPathErrorKind.DivideByZero,
            $"Error: divide-by-zero, function {function} cannot divide an integer by zero.");

    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowInvalidType(string function, int argumentIndex, string expectedTypes) =>
        throw new JmesPathException(
            JmesPathErrorKind.InvalidType,
            $"Error: invalid-type, function {function} expects argument {argumentIndex + 1} to be one of the following: {expectedTypes}.");

    /// <summary>
    /// Formats "message at position N" followed by the expression and a caret under the position, e.g.
    /// <code>
    /// Syntax error: expected an identifier after '.' (position 4)
    ///   foo.[
    ///       ^
    /// </code>
    /// </summary>
    private static JmesPathException CreateAtPosition(JmesPathErrorKind kind, string expression, int position, string message)
    {
        Debug.Assert(position >= 0 && position <= expression.Length);
        var builder = new StringBuilder(message.Length + (2 * expression.Length) + 32);
        builder.Append(message).Append(" (position ").Append(position).Append(')').Append('\n');
        builder.Append("  ").Append(expression).Append('\n');
        builder.Append(' ', position + 2).Append('^');
        return new JmesPathException(kind, builder.ToString(), position);
    }
}
