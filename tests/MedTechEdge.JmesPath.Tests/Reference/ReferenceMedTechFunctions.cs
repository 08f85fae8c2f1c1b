using DevLab.JmesPath.Functions;
using DevLab.JmesPath.Interop;
using Newtonsoft.Json.Linq;

namespace MedTechEdge.JmesPath.Tests.Reference;

/// <summary>
/// The eight MedTech functions written for JmesPath.Net, so that the referee can evaluate the same mapping
/// expressions as our engine. They follow the open-source connector's behaviour as docs/jmespath.md describes it
/// ("MedTech custom functions" and "Deliberate differences"): Json.NET's Integer/Float token types decide the
/// typing, 64-bit integer arithmetic wraps, integer pow goes through doubles, and the dates are Json.NET Date tokens.
/// Where the connector fails (integer division by zero, a pow result outside Int64, an insert position out of range,
/// a date outside years 1-9999) .NET throws, and the harness sees an error, as it does for our engine.
/// </summary>
internal static class ReferenceMedTechFunctions
{
    public static void RegisterAll(IRegisterFunctions functions)
    {
        functions
            .Register("add", new ArithmeticFunction("add", (a, b) => unchecked(a + b), (a, b) => a + b))
            .Register("subtract", new ArithmeticFunction("subtract", (a, b) => unchecked(a - b), (a, b) => a - b))
            .Register("multiply", new ArithmeticFunction("multiply", (a, b) => unchecked(a * b), (a, b) => a * b))
            // long / long throws DivideByZeroException for 0 and OverflowException for long.MinValue / -1.
            .Register("divide", new ArithmeticFunction("divide", (a, b) => a / b, (a, b) => a / b))
            // Convert.ToInt64 rounds half to even and throws OverflowException outside Int64 (and for ±Infinity, NaN).
            .Register("pow", new ArithmeticFunction("pow", (a, b) => Convert.ToInt64(Math.Pow(a, b)), Math.Pow))
            .Register("insertString", new InsertStringFunction())
            .Register("fromUnixTimestamp", new FromUnixTimeFunction("fromUnixTimestamp", DateTimeOffset.FromUnixTimeSeconds))
            .Register("fromUnixTimestampMs", new FromUnixTimeFunction("fromUnixTimestampMs", DateTimeOffset.FromUnixTimeMilliseconds));
    }

    /// <summary>Checks a positional argument's Json.NET token type; arguments count from 1 in the message, as ours do.</summary>
    private static void RequireType(JmesPathFunction function, JmesPathFunctionArgument[] args, int index, params JTokenType[] types)
    {
        if (!args[index].IsToken || Array.IndexOf(types, args[index].Token.Type) < 0)
        {
            throw new InvalidOperationException(
                $"Error: invalid-type, function {function.Name} expects argument {index + 1} to be one of the following: {string.Join("|", types)}.");
        }
    }

    private sealed class ArithmeticFunction : JmesPathFunction
    {
        private readonly Func<long, long, long> _integers;
        private readonly Func<double, double, double> _floats;

        public ArithmeticFunction(string name, Func<long, long, long> integers, Func<double, double, double> floats)
            : base(name, 2)
        {
            _integers = integers;
            _floats = floats;
        }

        public override void Validate(params JmesPathFunctionArgument[] args)
        {
            base.Validate(args);
            RequireType(this, args, 0, JTokenType.Integer, JTokenType.Float);
            RequireType(this, args, 1, JTokenType.Integer, JTokenType.Float);
        }

        public override JToken Execute(params JmesPathFunctionArgument[] args)
        {
            JToken a = args[0].Token;
            JToken b = args[1].Token;

            // Value<long>() throws OverflowException for a BigInteger token (an integer literal beyond Int64).
            return a.Type == JTokenType.Integer && b.Type == JTokenType.Integer
                ? new JValue(_integers(a.Value<long>(), b.Value<long>()))
                : new JValue(_floats(a.Value<double>(), b.Value<double>()));
        }
    }

    private sealed class InsertStringFunction : JmesPathFunction
    {
        public InsertStringFunction()
            : base("insertString", 3)
        {
        }

        public override void Validate(params JmesPathFunctionArgument[] args)
        {
            base.Validate(args);
            RequireType(this, args, 0, JTokenType.String);
            RequireType(this, args, 1, JTokenType.String);
            RequireType(this, args, 2, JTokenType.Integer);
        }

        // string.Insert throws ArgumentOutOfRangeException for a position below 0 or past the end.
        public override JToken Execute(params JmesPathFunctionArgument[] args) =>
            new JValue(args[0].Token.Value<string>()!.Insert(args[2].Token.Value<int>(), args[1].Token.Value<string>()!));
    }

    private sealed class FromUnixTimeFunction : JmesPathFunction
    {
        private readonly Func<long, DateTimeOffset> _convert;

        public FromUnixTimeFunction(string name, Func<long, DateTimeOffset> convert)
            : base(name, 1)
        {
            _convert = convert;
        }

        public override void Validate(params JmesPathFunctionArgument[] args)
        {
            base.Validate(args);
            RequireType(this, args, 0, JTokenType.Integer);
        }

        // A Json.NET Date token, not a string: that is what the connector hands to its timestamp parsing.
        public override JToken Execute(params JmesPathFunctionArgument[] args) =>
            new JValue(_convert(args[0].Token.Value<long>()).UtcDateTime);
    }
}
