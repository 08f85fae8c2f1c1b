using T = MedTechEdge.JmesPath.Functions.ArgumentType;

namespace MedTechEdge.JmesPath.Functions;

/// <summary>
/// The MedTech custom functions (jmespath.md, "MedTech custom functions"; iomt-fhir docs/CustomFunctions.md). Arity is checked at parse
/// time like every function; argument types at run time, with the "Error: invalid-type, function F expects
/// argument N to be one of the following: …" message.
/// </summary>
internal static partial class MedTechFunctions
{
    /// <summary>
    /// The text form of the date that fromUnixTimestamp(Ms) return: ISO-8601 UTC with seven fraction digits.
    /// medtech-semantics §2.3 [REC]: date tokens are strings inside JMESPath.
    /// </summary>
    public const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static IEnumerable<FunctionDefinition> Create() =>
    [
        new("add", Add, false, T.Number, T.Number),
        new("subtract", Subtract, false, T.Number, T.Number),
        new("multiply", Multiply, false, T.Number, T.Number),
        new("divide", Divide, false, T.Number, T.Number),
        new("pow", Pow, false, T.Number, T.Number),
        new("insertString", InsertString, false, T.String, T.String, T.Integer),
        new("fromUnixTimestamp", FromUnixTimestamp, false, T.Integer),
        new("fromUnixTimestampMs", FromUnixTimestampMs, false, T.Integer),
    ];
}
