using System.Globalization;

namespace MedTechEdge.JmesPath.Functions;

/// <summary>to_string, to_number, type.</summary>
internal static partial class StandardFunctions
{
    /// <summary>Specification, to_string: a string is returned as is; anything else becomes its compact JSON text.</summary>
    private static JmesPathValue ToJmesString(scoped in FunctionArguments arguments)
    {
        JmesPathValue value = arguments[0];
        return value.Kind == JmesPathValueKind.String ? value : JmesPathValue.String(value.ToJsonString());
    }

    /// <summary>
    /// Specification, to_number: a number is returned as is; a string that matches the JSON number grammar is
    /// parsed (an integer when written as one and within 64 bits); anything else gives null.
    /// </summary>
    private static JmesPathValue ToNumber(scoped in FunctionArguments arguments)
    {
        JmesPathValue value = arguments[0];
        if (value.Kind == JmesPathValueKind.Number)
        {
            return value.WithProjection(false);
        }

        if (value.Kind != JmesPathValueKind.String)
        {
            return JmesPathValue.Null;
        }

        string text = value.GetString();
        if (!IsJsonNumber(text, out bool isIntegerSyntax))
        {
            return JmesPathValue.Null;
        }

        if (isIntegerSyntax && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return JmesPathValue.Number(integer);
        }

        return JmesPathValue.Number(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private static JmesPathValue TypeOf(scoped in FunctionArguments arguments) =>
        JmesPathValue.String(arguments[0].Kind switch
        {
            JmesPathValueKind.Null => "null",
            JmesPathValueKind.Boolean => "boolean",
            JmesPathValueKind.Number => "number",
            JmesPathValueKind.String => "string",
            JmesPathValueKind.Array => "array",
            _ => "object",
        });

    /// <summary>RFC 8259 section 6: <c>-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?</c>.</summary>
    private static bool IsJsonNumber(string text, out bool isIntegerSyntax)
    {
        isIntegerSyntax = true;
        int i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        if (i >= text.Length || !char.IsAsciiDigit(text[i]))
        {
            return false;
        }

        if (text[i] == '0')
        {
            i++;
        }
        else
        {
            i = SkipDigits(text, i);
        }

        if (i < text.Length && text[i] == '.')
        {
            isIntegerSyntax = false;
            int fraction = SkipDigits(text, i + 1);
            if (fraction == i + 1)
            {
                return false;
            }

            i = fraction;
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            isIntegerSyntax = false;
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                i++;
            }

            int exponent = SkipDigits(text, i);
            if (exponent == i)
            {
                return false;
            }

            i = exponent;
        }

        return i == text.Length;
    }

    private static int SkipDigits(string text, int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i;
    }
}
