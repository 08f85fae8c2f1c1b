using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>
/// RFC 9535 §2.3.5.2.1 existence test: true when the query selects at least one node, whatever its value
/// (so <c>null</c>, <c>false</c>, <c>0</c> and <c>""</c> all exist).
/// </summary>
internal sealed class ExistenceTest : FilterExpression
{
    private readonly Query _query;

    public ExistenceTest(Query query) => _query = query;

    public override bool Test(Evaluator evaluator, in Node current)
    {
        List<Node> nodes = evaluator.SelectNodes(_query, current);
        bool exists = nodes.Count > 0;
        evaluator.ReleaseNodes(nodes);
        return exists;
    }
}
