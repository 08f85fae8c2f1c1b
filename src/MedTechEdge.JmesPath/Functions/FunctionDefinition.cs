using System.Text;
using MedTechEdge.JmesPath.Ast;

namespace MedTechEdge.JmesPath.Functions;

/// <summary>A function body: receives checked arguments, returns the result.</summary>
internal delegate JmesPathValue FunctionBody(scoped in FunctionArguments arguments);

/// <summary>
/// A function's name, signature and body. The signature is one <see cref="ArgumentType"/> per parameter; when
/// <see cref="IsVariadic"/> is set the last parameter repeats (and must appear at least once).
/// </summary>
internal sealed class FunctionDefinition
{
    private readonly ArgumentType[] _parameters;

    public FunctionDefinition(string name, FunctionBody body, bool isVariadic, params ArgumentType[] parameters)
    {
        Name = name;
        Body = body;
        IsVariadic = isVariadic;
        _parameters = parameters;
    }

    public string Name { get; }

    public FunctionBody Body { get; }

    public bool IsVariadic { get; }

    public int MinArity => _parameters.Length;

    public int MaxArity => IsVariadic ? int.MaxValue : _parameters.Length;

    public string DescribeArity() => IsVariadic
        ? $"at least {MinArity} argument{(MinArity == 1 ? string.Empty : "s")}"
        : $"{MinArity} argument{(MinArity == 1 ? string.Empty : "s")}";

    /// <summary>
    /// Checks one evaluated argument against its parameter type (specification, "Function Expressions": a type
    /// mismatch is an invalid-type error). An expression reference is only accepted where the signature says expref.
    /// </summary>
    public void CheckArgument(int index, Node node, in JmesPathValue value)
    {
        ArgumentType expected = _parameters[Math.Min(index, _parameters.Length - 1)];
        bool isReference = node.Kind == NodeKind.ExpressionReference;
        if (isReference ? (expected & ArgumentType.ExpressionReference) == 0 : !Accepts(expected, value))
        {
            ThrowHelper.ThrowInvalidType(Name, index, Describe(expected));
        }
    }

    private static bool Accepts(ArgumentType expected, in JmesPathValue value)
    {
        switch (value.Kind)
        {
            case JmesPathValueKind.Null:
                return (expected & ArgumentType.Null) != 0;
            case JmesPathValueKind.Boolean:
                return (expected & ArgumentType.Boolean) != 0;
            case JmesPathValueKind.Number:
                return (expected & ArgumentType.Number) != 0 || ((expected & ArgumentType.Integer) != 0 && value.IsInteger);
            case JmesPathValueKind.String:
                return (expected & ArgumentType.String) != 0;
            case JmesPathValueKind.Object:
                return (expected & ArgumentType.Object) != 0;
            default:
                if ((expected & ArgumentType.Array) != 0)
                {
                    return true;
                }

                return ((expected & ArgumentType.ArrayOfNumber) != 0 && AllItemsAre(value, JmesPathValueKind.Number))
                    || ((expected & ArgumentType.ArrayOfString) != 0 && AllItemsAre(value, JmesPathValueKind.String));
        }
    }

    private static bool AllItemsAre(in JmesPathValue array, JmesPathValueKind kind)
    {
        foreach (JmesPathValue item in array.EnumerateArray())
        {
            if (item.Kind != kind)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The type list of the invalid-type message, in the spelling of the specification: "array[number], array[string]".</summary>
    private static string Describe(ArgumentType expected)
    {
        if ((expected & ArgumentType.Any) == ArgumentType.Any)
        {
            return "any";
        }

        var builder = new StringBuilder();
        Append(builder, expected, ArgumentType.Null, "null");
        Append(builder, expected, ArgumentType.Boolean, "boolean");
        Append(builder, expected, ArgumentType.Number, "number");
        Append(builder, expected, ArgumentType.Integer, "integer");
        Append(builder, expected, ArgumentType.String, "string");
        Append(builder, expected, ArgumentType.Array, "array");
        Append(builder, expected, ArgumentType.ArrayOfNumber, "array[number]");
        Append(builder, expected, ArgumentType.ArrayOfString, "array[string]");
        Append(builder, expected, ArgumentType.Object, "object");
        Append(builder, expected, ArgumentType.ExpressionReference, "expref");
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, ArgumentType expected, ArgumentType flag, string name)
    {
        if ((expected & flag) != 0)
        {
            if (builder.Length != 0)
            {
                builder.Append(", ");
            }

            builder.Append(name);
        }
    }
}
