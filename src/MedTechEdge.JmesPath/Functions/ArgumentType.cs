namespace MedTechEdge.JmesPath.Functions;

/// <summary>
/// The argument types of function signatures (specification, "Function Expressions", type names), as flags so
/// that a parameter can accept a union such as <c>array|string</c>. <see cref="Integer"/> is the MedTech
/// "integer number" type (jmespath.md, "MedTech custom functions").
/// </summary>
[Flags]
internal enum ArgumentType
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Number = 4,
    String = 8,
    Array = 16,
    Object = 32,
    ExpressionReference = 64,
    ArrayOfNumber = 128,
    ArrayOfString = 256,
    Integer = 512,
    Any = Null | Boolean | Number | String | Array | Object,
}
