namespace MedTechEdge.JsonPath.Ast.MedTech;

/// <summary>Json.NET's query operators. <c>&lt;&gt;</c> parses to <see cref="NotEquals"/>.</summary>
internal enum NetOperator
{
    Exists,
    Equals,
    NotEquals,
    StrictEquals,
    StrictNotEquals,
    LessThan,
    LessThanOrEquals,
    GreaterThan,
    GreaterThanOrEquals,
    RegexEquals,
}
