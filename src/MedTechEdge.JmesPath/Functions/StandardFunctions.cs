using T = MedTechEdge.JmesPath.Functions.ArgumentType;

namespace MedTechEdge.JmesPath.Functions;

/// <summary>
/// The built-in functions with their signatures, as listed in the specification's "Built-in Functions" section.
/// Bodies live in the partial files by theme; each body may assume its arguments passed the signature check.
/// </summary>
internal static partial class StandardFunctions
{
    public static IEnumerable<FunctionDefinition> Create() =>
    [
        new("abs", Abs, false, T.Number),
        new("avg", Avg, false, T.ArrayOfNumber),
        new("ceil", Ceil, false, T.Number),
        new("contains", Contains, false, T.Array | T.String, T.Any),
        new("ends_with", EndsWith, false, T.String, T.String),
        new("floor", Floor, false, T.Number),
        new("join", Join, false, T.String, T.ArrayOfString),
        new("keys", Keys, false, T.Object),
        new("length", Length, false, T.String | T.Array | T.Object),
        new("map", Map, false, T.ExpressionReference, T.Array),
        new("max", Max, false, T.ArrayOfNumber | T.ArrayOfString),
        new("max_by", MaxBy, false, T.Array, T.ExpressionReference),
        new("merge", Merge, true, T.Object),
        new("min", Min, false, T.ArrayOfNumber | T.ArrayOfString),
        new("min_by", MinBy, false, T.Array, T.ExpressionReference),
        new("not_null", NotNull, true, T.Any),
        new("reverse", Reverse, false, T.Array | T.String),
        new("sort", Sort, false, T.ArrayOfNumber | T.ArrayOfString),
        new("sort_by", SortBy, false, T.Array, T.ExpressionReference),
        new("starts_with", StartsWith, false, T.String, T.String),
        new("sum", Sum, false, T.ArrayOfNumber),
        new("to_array", ToArray, false, T.Any),
        new("to_number", ToNumber, false, T.Any),
        new("to_string", ToJmesString, false, T.Any),
        new("type", TypeOf, false, T.Any),
        new("values", Values, false, T.Object),
    ];

    /// <summary>A whole-valued double as an integer when it fits, so <c>floor(`1.5`)</c> is the integer 1.</summary>
    private static JmesPathValue WholeNumber(double value) =>
        value >= long.MinValue && value < 9.2233720368547758E18 ? JmesPathValue.Number((long)value) : JmesPathValue.Number(value);
}
