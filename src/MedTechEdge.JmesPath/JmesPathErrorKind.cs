namespace MedTechEdge.JmesPath;

/// <summary>
/// The error classes of the JMESPath specification ("Errors"), plus the MedTech arithmetic failures.
/// </summary>
public enum JmesPathErrorKind
{
    /// <summary>The expression text is not valid JMESPath. Raised by <see cref="JmesPathExpression.Parse"/>.</summary>
    Syntax,

    /// <summary>A function name that the function set does not define. Raised at parse time.</summary>
    UnknownFunction,

    /// <summary>A function called with the wrong number of arguments. Raised at parse time.</summary>
    InvalidArity,

    /// <summary>A function argument of the wrong JSON type. Raised at evaluation time.</summary>
    InvalidType,

    /// <summary>A value outside the allowed range, such as a slice step of 0 or an insert position past the end.</summary>
    InvalidValue,

    /// <summary>A MedTech integer operation whose result does not fit a 64-bit signed integer.</summary>
    Overflow,

    /// <summary>A MedTech integer division by zero.</summary>
    DivideByZero,
}
