using MedTechEdge.JmesPath.Ast;
using MedTechEdge.JmesPath.Values;

namespace MedTechEdge.JmesPath.Interpretation;

/// <summary>
/// Evaluates an AST against a value. Stateless: one switch on <see cref="NodeKind"/>, recursing into children.
/// Every rule that yields null for a type mismatch (a field of a non-object, an index of a non-array) follows
/// the specification section named on its case.
/// </summary>
internal static partial class Interpreter
{
    public static JmesPathValue Evaluate(Node node, in JmesPathValue current)
    {
        switch (node.Kind)
        {
            case NodeKind.Current:
                return current;
            case NodeKind.Literal:
                return ((LiteralNode)node).Value;
            case NodeKind.Field:
                // "Identifiers": a missing member, or any non-object, gives null.
                var field = (FieldNode)node;
                current.TryGetProperty(field.Name, field.Utf8Name, out JmesPathValue member);
                return member;
            case NodeKind.Subexpression:
                var subexpression = (SubexpressionNode)node;
                JmesPathValue left = Evaluate(subexpression.Left, current);

                // "SubExpressions": a null left side short-circuits to null.
                return left.IsNull ? left : Evaluate(subexpression.Right, left);
            case NodeKind.Index:
                return EvaluateIndex(((IndexNode)node).Index, current);
            case NodeKind.Slice:
                return EvaluateSlice((SliceNode)node, current);
            case NodeKind.ListProjection:
                return EvaluateListProjection((ListProjectionNode)node, current);
            case NodeKind.ValueProjection:
                return EvaluateValueProjection((ValueProjectionNode)node, current);
            case NodeKind.Flatten:
                return EvaluateFlatten((FlattenNode)node, current);
            case NodeKind.FilterProjection:
                return EvaluateFilterProjection((FilterProjectionNode)node, current);
            case NodeKind.MultiSelectList:
                return EvaluateMultiSelectList((MultiSelectListNode)node, current);
            case NodeKind.MultiSelectHash:
                return EvaluateMultiSelectHash((MultiSelectHashNode)node, current);
            case NodeKind.Comparator:
                return EvaluateComparator((ComparatorNode)node, current);
            case NodeKind.Or:
                var or = (LogicalNode)node;
                JmesPathValue first = Evaluate(or.Left, current);

                // "Or Expressions": the left value if truthy, else the right value.
                return first.IsTruthy() ? first : Evaluate(or.Right, current);
            case NodeKind.And:
                var and = (LogicalNode)node;
                JmesPathValue condition = Evaluate(and.Left, current);

                // "And Expressions": the left value if falsy, else the right value.
                return condition.IsTruthy() ? Evaluate(and.Right, current) : condition;
            case NodeKind.Not:
                return JmesPathValue.Boolean(!Evaluate(((NotNode)node).Operand, current).IsTruthy());
            case NodeKind.Pipe:
                var pipe = (PipeNode)node;
                return Evaluate(pipe.Right, Evaluate(pipe.Left, current));
            case NodeKind.FunctionCall:
                return EvaluateFunctionCall((FunctionCallNode)node, current);
            default:
                // An expression reference outside a function argument has no JSON value.
                return JmesPathValue.Null;
        }
    }

    /// <summary>"Index Expressions": negative indices count from the end; out of range and non-arrays give null.</summary>
    private static JmesPathValue EvaluateIndex(int index, in JmesPathValue current)
    {
        if (current.Kind != JmesPathValueKind.Array)
        {
            return JmesPathValue.Null;
        }

        int length = current.GetArrayLength();
        if (index < 0)
        {
            index += length;
        }

        return (uint)index < (uint)length ? current.GetArrayItem(index) : JmesPathValue.Null;
    }

    private static JmesPathValue EvaluateMultiSelectList(MultiSelectListNode node, in JmesPathValue current)
    {
        // "MultiSelect List": null in, null out.
        if (current.IsNull)
        {
            return current;
        }

        Node[] items = node.Items;
        var results = new List<JmesPathValue>(items.Length);
        for (int i = 0; i < items.Length; i++)
        {
            results.Add(Evaluate(items[i], current));
        }

        return JmesPathValue.Array(results);
    }

    private static JmesPathValue EvaluateMultiSelectHash(MultiSelectHashNode node, in JmesPathValue current)
    {
        // "MultiSelect Hash": null in, null out.
        if (current.IsNull)
        {
            return current;
        }

        KeyValuePair<string, Node>[] members = node.Members;
        var result = new ObjectValue(members.Length);
        for (int i = 0; i < members.Length; i++)
        {
            result.Set(members[i].Key, Evaluate(members[i].Value, current));
        }

        return JmesPathValue.Object(result);
    }

    private static JmesPathValue EvaluateComparator(ComparatorNode node, in JmesPathValue current)
    {
        JmesPathValue left = Evaluate(node.Left, current);
        JmesPathValue right = Evaluate(node.Right, current);
        switch (node.Comparator)
        {
            case ComparatorKind.Equal:
                return JmesPathValue.Boolean(ValueComparer.DeepEquals(left, right));
            case ComparatorKind.NotEqual:
                return JmesPathValue.Boolean(!ValueComparer.DeepEquals(left, right));
        }

        // "Filter Expressions": ordering comparators are defined only for numbers; any other pair gives null.
        if (left.Kind != JmesPathValueKind.Number || right.Kind != JmesPathValueKind.Number)
        {
            return JmesPathValue.Null;
        }

        double a = left.NumberValue;
        double b = right.NumberValue;
        return JmesPathValue.Boolean(node.Comparator switch
        {
            ComparatorKind.LessThan => a < b,
            ComparatorKind.LessThanOrEqual => a <= b,
            ComparatorKind.GreaterThan => a > b,
            _ => a >= b,
        });
    }
}
