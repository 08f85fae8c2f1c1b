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

    /// <summary>
    /// For <c>&amp;&amp;</c>, any one part's requirement holds for the whole; for <c>||</c>, only the union of every
    /// part's requirement does, and only when every part has one.
    /// </summary>
    public override string[]? RequiredMemberNames
    {
        get
        {
            List<string>? union = null;
            foreach (FilterExpression part in _parts)
            {
                string[]? names = part.RequiredMemberNames;
                if (IsAnd)
                {
                    if (names is not null)
                    {
                        return names;
                    }

                    continue;
                }

                if (names is null)
                {
                    return null;
                }

                (union ??= new List<string>()).AddRange(names);
            }

            return union?.ToArray();
        }
    }

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
