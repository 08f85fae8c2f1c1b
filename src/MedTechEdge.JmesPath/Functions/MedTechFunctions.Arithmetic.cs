namespace MedTechEdge.JmesPath.Functions;

/// <summary>
/// add, subtract, multiply, divide, pow. Typing rule (jmespath.md, "MedTech custom functions"): when either argument is a float the
/// operation is done in doubles; when both are integers it is done in 64-bit integers. Integer overflow is an
/// error here (the OSS connector wraps silently; its docs, and mappings.md, "Deliberate differences" [REC], say error).
/// </summary>
internal static partial class MedTechFunctions
{
    private static JmesPathValue Add(scoped in FunctionArguments arguments)
    {
        JmesPathValue a = arguments[0];
        JmesPathValue b = arguments[1];
        if (a.IsInteger && b.IsInteger)
        {
            try
            {
                return JmesPathValue.Number(checked(a.IntegerValue + b.IntegerValue));
            }
            catch (OverflowException)
            {
                ThrowHelper.ThrowOverflow("add");
            }
        }

        return JmesPathValue.Number(a.NumberValue + b.NumberValue);
    }

    private static JmesPathValue Subtract(scoped in FunctionArguments arguments)
    {
        JmesPathValue a = arguments[0];
        JmesPathValue b = arguments[1];
        if (a.IsInteger && b.IsInteger)
        {
            try
            {
                return JmesPathValue.Number(checked(a.IntegerValue - b.IntegerValue));
            }
            catch (OverflowException)
            {
                ThrowHelper.ThrowOverflow("subtract");
            }
        }

        return JmesPathValue.Number(a.NumberValue - b.NumberValue);
    }

    private static JmesPathValue Multiply(scoped in FunctionArguments arguments)
    {
        JmesPathValue a = arguments[0];
        JmesPathValue b = arguments[1];
        if (a.IsInteger && b.IsInteger)
        {
            try
            {
                return JmesPathValue.Number(checked(a.IntegerValue * b.IntegerValue));
            }
            catch (OverflowException)
            {
                ThrowHelper.ThrowOverflow("multiply");
            }
        }

        return JmesPathValue.Number(a.NumberValue * b.NumberValue);
    }

    /// <summary>
    /// Integer ÷ integer truncates toward zero, as the OSS connector does: divide(`40`, `50`) is 0 (its docs
    /// claim 0.8). Integer ÷ 0 is an error; float ÷ 0 follows IEEE 754 (±Infinity, NaN for 0.0 ÷ 0).
    /// </summary>
    private static JmesPathValue Divide(scoped in FunctionArguments arguments)
    {
        JmesPathValue a = arguments[0];
        JmesPathValue b = arguments[1];
        if (a.IsInteger && b.IsInteger)
        {
            if (b.IntegerValue == 0)
            {
                ThrowHelper.ThrowDivideByZero("divide");
            }

            if (a.IntegerValue == long.MinValue && b.IntegerValue == -1)
            {
                // The one integer quotient that does not fit: -2^63 / -1 = 2^63.
                ThrowHelper.ThrowOverflow("divide");
            }

            return JmesPathValue.Number(a.IntegerValue / b.IntegerValue);
        }

        return JmesPathValue.Number(a.NumberValue / b.NumberValue);
    }

    /// <summary>
    /// Float power when either argument is a float. For two integers the result is an integer: exact (by
    /// repeated squaring, overflow is an error) for a non-negative exponent; for a negative exponent the double
    /// power rounded half to even, as OSS's Convert.ToInt64(Math.Pow(...)) does. pow(`0`, `0`) is 1.
    /// </summary>
    private static JmesPathValue Pow(scoped in FunctionArguments arguments)
    {
        JmesPathValue a = arguments[0];
        JmesPathValue b = arguments[1];
        if (!a.IsInteger || !b.IsInteger)
        {
            return JmesPathValue.Number(Math.Pow(a.NumberValue, b.NumberValue));
        }

        if (b.IntegerValue < 0)
        {
            double power = Math.Pow(a.IntegerValue, b.IntegerValue);
            if (!double.IsFinite(power))
            {
                // 0 to a negative power.
                ThrowHelper.ThrowOverflow("pow");
            }

            return JmesPathValue.Number((long)Math.Round(power, MidpointRounding.ToEven));
        }

        return JmesPathValue.Number(IntegerPower(a.IntegerValue, b.IntegerValue));
    }

    private static long IntegerPower(long value, long exponent)
    {
        long result = 1;
        try
        {
            checked
            {
                while (exponent > 0)
                {
                    if ((exponent & 1) != 0)
                    {
                        result *= value;
                    }

                    exponent >>= 1;
                    if (exponent > 0)
                    {
                        value *= value;
                    }
                }
            }
        }
        catch (OverflowException)
        {
            ThrowHelper.ThrowOverflow("pow");
        }

        return result;
    }
}
