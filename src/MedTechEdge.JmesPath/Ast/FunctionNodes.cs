using MedTechEdge.JmesPath.Functions;

namespace MedTechEdge.JmesPath.Ast;

/// <summary>A function call, bound to its definition at parse time (so unknown names and arity fail early).</summary>
internal sealed class FunctionCallNode(FunctionDefinition function, Node[] arguments) : Node(NodeKind.FunctionCall)
{
    public FunctionDefinition Function { get; } = function;

    public Node[] Arguments { get; } = arguments;
}

/// <summary><c>&amp;expression</c>: an unevaluated expression handed to a function (specification, "Expression Types").</summary>
internal sealed class ExpressionReferenceNode(Node expression) : Node(NodeKind.ExpressionReference)
{
    public Node Expression { get; } = expression;
}
