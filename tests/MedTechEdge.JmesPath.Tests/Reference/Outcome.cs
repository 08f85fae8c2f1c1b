namespace MedTechEdge.JmesPath.Tests.Reference;

/// <summary>What one engine did with one expression: a value, or an error with its class when the engine names one.</summary>
internal readonly record struct Outcome<T>(T? Value, Exception? Error, string? ErrorKind)
{
    public bool Failed => Error is not null;
}

internal static class Outcome
{
    public static Outcome<T> Capture<T>(Func<T> run, Func<Exception, string?> classify)
    {
        try
        {
            return new Outcome<T>(run(), null, null);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Every failure is an outcome to compare, whatever its type: the referee throws .NET's own exceptions.
            return Failed<T>(exception, classify(exception));
        }
    }

    public static Outcome<T> Failed<T>(Exception error, string? kind) => new(default, error, kind);

    /// <summary>Our error classes, named as the compliance suite and JmesPath.Net's messages name them.</summary>
    public static string? KindOf(Exception exception) => exception is JmesPathException jmesPath
        ? jmesPath.ErrorKind switch
        {
            JmesPathErrorKind.Syntax => "syntax",
            JmesPathErrorKind.UnknownFunction => "unknown-function",
            JmesPathErrorKind.InvalidArity => "invalid-arity",
            JmesPathErrorKind.InvalidType => "invalid-type",
            JmesPathErrorKind.InvalidValue => "invalid-value",
            JmesPathErrorKind.Overflow => "overflow",
            JmesPathErrorKind.DivideByZero => "divide-by-zero",
            _ => null,
        }
        : null;
}
