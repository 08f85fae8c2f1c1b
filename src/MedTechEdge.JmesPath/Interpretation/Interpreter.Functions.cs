using System.Buffers;
using System.Runtime.CompilerServices;
using MedTechEdge.JmesPath.Ast;
using MedTechEdge.JmesPath.Functions;

namespace MedTechEdge.JmesPath.Interpretation;

/// <summary>Function calls: evaluate the arguments into a stack buffer, check their types, call the body.</summary>
internal static partial class Interpreter
{
    private static JmesPathValue EvaluateFunctionCall(FunctionCallNode node, in JmesPathValue current)
    {
        Node[] nodes = node.Arguments;
        if (nodes.Length <= ArgumentBuffer.Length)
        {
            // Up to four arguments (every fixed-arity function) live on the stack: no allocation per call.
            var buffer = default(ArgumentBuffer);
            Span<JmesPathValue> values = buffer;
            return Call(node.Function, nodes, values[..nodes.Length], current);
        }

        // Only the variadic merge and not_null get here. The rented array holds references into the
        // document; it is cleared on return so the pool does not keep them alive.
        JmesPathValue[] rented = ArrayPool<JmesPathValue>.Shared.Rent(nodes.Length);
        try
        {
            return Call(node.Function, nodes, rented.AsSpan(0, nodes.Length), current);
        }
        finally
        {
            ArrayPool<JmesPathValue>.Shared.Return(rented, clearArray: true);
        }
    }

    private static JmesPathValue Call(FunctionDefinition function, Node[] nodes, Span<JmesPathValue> values, in JmesPathValue current)
    {
        for (int i = 0; i < nodes.Length; i++)
        {
            // Expression references are passed unevaluated (specification, "Expression Types").
            values[i] = nodes[i].Kind == NodeKind.ExpressionReference ? JmesPathValue.Null : Evaluate(nodes[i], current);
            function.CheckArgument(i, nodes[i], values[i]);
        }

        // A function result is never a projection, even when it returns a projected argument (not_null, to_array).
        JmesPathValue result = function.Body(new FunctionArguments(values, nodes));
        return result.IsProjectionResult ? result.WithProjection(false) : result;
    }

    [InlineArray(Length)]
    private struct ArgumentBuffer
    {
        public const int Length = 4;

        private JmesPathValue _first;
    }
}
