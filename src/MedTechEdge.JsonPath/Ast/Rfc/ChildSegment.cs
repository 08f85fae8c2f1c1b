using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>
/// RFC 9535 §2.5.1 child segment <c>[a, b, …]</c> (or <c>.name</c>, <c>.*</c>): the selectors' results for the
/// node, concatenated in the order the selectors are written. Duplicates are kept.
/// </summary>
internal sealed class ChildSegment : PathStep
{
    private readonly Selector[] _selectors;

    public ChildSegment(Selector[] selectors) => _selectors = selectors;

    public override bool IsSingular => _selectors.Length == 1 && _selectors[0].IsSingular;

    public override void Apply(Evaluator evaluator, in Node node)
    {
        foreach (Selector selector in _selectors)
        {
            selector.Select(evaluator, node, Next);
        }
    }
}
