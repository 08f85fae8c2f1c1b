namespace MedTechEdge.JmesPath;

/// <summary>The JMESPath type of a <see cref="JmesPathValue"/> (JMESPath specification, "Data types").</summary>
public enum JmesPathValueKind
{
    /// <summary>JSON <c>null</c>. Also the value of a missing member or an out-of-range index.</summary>
    Null = 0,

    /// <summary>JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A number. See <see cref="JmesPathValue.IsInteger"/> for the integer/float distinction.</summary>
    Number,

    /// <summary>A string.</summary>
    String,

    /// <summary>An array.</summary>
    Array,

    /// <summary>An object.</summary>
    Object,
}
