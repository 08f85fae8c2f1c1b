namespace MedTechEdge.JsonPath;

/// <summary>What made a MedTech-dialect evaluation fail where Json.NET's <c>SelectTokens</c> throws.</summary>
public enum JsonPathFaultKind
{
    /// <summary>
    /// An ordering comparison (<c>&lt; &lt;= &gt; &gt;=</c>) whose operand cannot be converted to the type Json.NET
    /// compares in: <c>"abc" &gt; 70</c>, <c>5 &lt; 'x'</c>, <c>"c" &lt; true</c>, <c>1 &gt; "1.5"</c>. Json.NET's
    /// <c>JValue.CompareTo</c> calls <c>Convert.ToInt64</c>, <c>ToDouble</c> or <c>ToBoolean</c> and throws
    /// FormatException (OverflowException for an integer text beyond Int64).
    /// </summary>
    UnconvertibleComparison,
}

/// <summary>
/// An evaluation that Json.NET would have abandoned with an exception, returned instead of thrown. The managed
/// service let that exception fail the message's normalization; the mapping layer does the same with this.
/// </summary>
/// <param name="Kind">What failed.</param>
/// <param name="Left">The left operand, as JSON text.</param>
/// <param name="Operator">The operator, as written in the expression.</param>
/// <param name="Right">The right operand, as JSON text.</param>
/// <param name="ComparedAs">The Json.NET type the operands were converted to: <c>Integer</c>, <c>Float</c> or <c>Boolean</c>.</param>
public sealed record JsonPathFault(JsonPathFaultKind Kind, string Left, string Operator, string Right, string ComparedAs)
{
    /// <summary>A readable account, naming the operands and the conversion.</summary>
    public string Message => $"cannot compare {Left} {Operator} {Right}: Json.NET converts both to {ComparedAs} for this comparison and fails (FormatException).";

    /// <inheritdoc/>
    public override string ToString() => Message;
}
