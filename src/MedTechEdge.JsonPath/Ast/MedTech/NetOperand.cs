using System.Text.RegularExpressions;

namespace MedTechEdge.JsonPath.Ast.MedTech;

/// <summary>One side of a Json.NET comparison: a path (<c>@…</c> or <c>$…</c>) or a literal.</summary>
internal sealed class NetOperand
{
    private NetOperand(Query? path, NetScalar literal, Regex? regex)
    {
        Path = path;
        Literal = literal;
        Regex = regex;
    }

    public Query? Path { get; }

    /// <summary>The literal when <see cref="Path"/> is null.</summary>
    public NetScalar Literal { get; }

    /// <summary>For a <c>/pattern/flags</c> literal, the regex compiled once at parse time.</summary>
    public Regex? Regex { get; }

    public static NetOperand ForPath(Query path) => new(path, default, null);

    public static NetOperand ForLiteral(NetScalar literal, Regex? regex = null) => new(null, literal, regex);
}
