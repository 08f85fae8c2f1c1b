using System.Diagnostics.CodeAnalysis;

namespace MedTechEdge.JsonPath;

/// <summary>Cold throw helpers so that parser call sites stay one line long.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void Syntax(string reason, int position, string expression)
        => throw new JsonPathException(reason, position, expression);

    [DoesNotReturn]
    public static T Syntax<T>(string reason, int position, string expression)
        => throw new JsonPathException(reason, position, expression);

    public static string Describe(string expression, int position)
        => position >= expression.Length ? "end of expression" : DescribeChar(expression[position]);

    public static string DescribeChar(char c)
        => c < ' ' || c == '\u007f' ? $"character U+{(int)c:X4}" : $"character '{c}'";
}
