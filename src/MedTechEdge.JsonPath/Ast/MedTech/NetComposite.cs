using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.MedTech;

/// <summary>
/// Json.NET's <c>CompositeExpression</c>: all (<c>&amp;&amp;</c>) or any (<c>||</c>) of its parts. The parser
/// nests these the way Json.NET does, which is not the usual precedence (see <c>MedTechParser.Filters.cs</c>).
/// </summary>
internal sealed class NetComposite : FilterExpression
{
    private readonly List<FilterExpression> _parts = new();

    public NetComposite(bool isAnd) => IsAnd = isAnd;

    public bool IsAnd { get; }

    public void Add(FilterExpression part) => _parts.Add(part);

    public override bool Test(Evaluator evaluator, in Node current)
    {
        for (int i = 0; i < _parts.Count; i++)
        {
            bool result = _parts[i].Test(evaluator, current);
            if (result != IsAnd)
            {
                return result;
            }
        }

        return IsAnd;
    }
}
