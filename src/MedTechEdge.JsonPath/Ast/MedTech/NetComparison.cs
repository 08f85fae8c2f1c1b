using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.MedTech;

/// <summary>
/// Json.NET's <c>BooleanQueryExpression</c>: an existence test (<c>?(@a)</c>) or a comparison.
/// <para>
/// Existence is true when the left side selects anything, even <c>null</c>, <c>0</c>, <c>false</c> or <c>""</c>;
/// a literal on its own always exists. A comparison is true when ANY left node and ANY right node satisfy the
/// operator, so it is false when either side selects nothing; that makes <c>!=</c> false for a missing member.
/// Between an object or array and anything, only <c>!=</c> is true.
/// </para>
/// </summary>
internal sealed class NetComparison : FilterExpression
{
    private readonly NetOperator _operator;
    private readonly NetOperand _left;
    private readonly NetOperand? _right;

    // `@name` or `@a.b` on its own, the usual MedTech type match: tested with direct lookups, no sub-query.
    private readonly SingularPath? _existencePath;

    public NetComparison(NetOperator op, NetOperand left, NetOperand? right)
    {
        _operator = op;
        _left = left;
        _right = right;
        if (left.Path is { IsRelative: true } path && path.Steps.Length >= 1 && path.Steps[0] is NetFieldStep { Name: not null } first)
        {
            // Both an existence test and a comparison are false when the left side selects nothing.
            RequiredMemberNames = [first.Name!];
            if (op == NetOperator.Exists)
            {
                _existencePath = SingularPath.TryCreate(path);
            }
        }
    }

    public override string[]? RequiredMemberNames { get; }

    public override bool Test(Evaluator evaluator, in Node current)
    {
        if (_existencePath is not null)
        {
            return current.Kind == JsonValueKind.Object && _existencePath.TrySelect(evaluator, current, out _);
        }

        if (_left.Path is null)
        {
            return _operator == NetOperator.Exists || TestAgainstRight(evaluator, current, _left.Literal);
        }

        List<Node> left = evaluator.SelectNodes(_left.Path, current);
        try
        {
            if (_operator == NetOperator.Exists)
            {
                return left.Count > 0;
            }

            for (int i = 0; i < left.Count; i++)
            {
                if (TestAgainstRight(evaluator, current, NetScalar.FromNode(left[i])))
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            evaluator.ReleaseNodes(left);
        }
    }

    private bool TestAgainstRight(Evaluator evaluator, in Node current, in NetScalar left)
    {
        NetOperand right = _right!;
        if (right.Path is null)
        {
            return Match(evaluator, left, right.Literal);
        }

        List<Node> nodes = evaluator.SelectNodes(right.Path, current);
        try
        {
            for (int i = 0; i < nodes.Count; i++)
            {
                if (Match(evaluator, left, NetScalar.FromNode(nodes[i])))
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            evaluator.ReleaseNodes(nodes);
        }
    }

    private bool Match(Evaluator evaluator, in NetScalar left, in NetScalar right)
    {
        if (left.Type == NetType.Container || right.Type == NetType.Container)
        {
            // Json.NET: "you can only specify primitive types in a comparison; notequals will always be true".
            return _operator is NetOperator.NotEquals;
        }

        switch (_operator)
        {
            case NetOperator.Equals:
            case NetOperator.StrictEquals:
                // Without date, Guid, Uri or TimeSpan tokens (documents parsed as JSON) the two are the same.
                return NetComparer.AreEqual(left, right);
            case NetOperator.NotEquals:
            case NetOperator.StrictNotEquals:
                return !NetComparer.AreEqual(left, right);
            case NetOperator.LessThan:
                return Ordered(evaluator, left, right) < 0;
            case NetOperator.LessThanOrEquals:
                return Ordered(evaluator, left, right) <= 0;
            case NetOperator.GreaterThan:
                return Ordered(evaluator, left, right) > 0;
            case NetOperator.GreaterThanOrEquals:
                return Ordered(evaluator, left, right) >= 0;
            case NetOperator.RegexEquals:
                return left.Type == NetType.String && right.Type == NetType.String
                    && NetRegex.IsMatch(left.GetString(), right, _right!.Regex);
            default:
                return false;
        }
    }

    /// <summary>
    /// The comparison, or null (false for every operator) where Json.NET's conversion throws; that is reported as the
    /// evaluation's fault, because Json.NET's exception ends the whole <c>SelectTokens</c>, not just this pair.
    /// </summary>
    private int? Ordered(Evaluator evaluator, in NetScalar left, in NetScalar right)
    {
        int? order = NetComparer.Compare(left, right);
        if (order is null)
        {
            evaluator.ReportFault(new JsonPathFault(JsonPathFaultKind.UnconvertibleComparison, left.ToJsonText(), Symbol(_operator), right.ToJsonText(), NetComparer.ComparisonType(left, right).ToString()));
        }

        return order;
    }

    private static string Symbol(NetOperator op) => op switch
    {
        NetOperator.LessThan => "<",
        NetOperator.LessThanOrEquals => "<=",
        NetOperator.GreaterThan => ">",
        _ => ">=",
    };
}
