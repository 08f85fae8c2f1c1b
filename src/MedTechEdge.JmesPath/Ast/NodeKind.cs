namespace MedTechEdge.JmesPath.Ast;

/// <summary>The AST node classes; the interpreter dispatches on this tag with one switch.</summary>
internal enum NodeKind
{
    Current,
    Literal,
    Field,
    Subexpression,
    Index,
    Slice,
    ListProjection,
    ValueProjection,
    Flatten,
    FilterProjection,
    MultiSelectList,
    MultiSelectHash,
    Comparator,
    Or,
    And,
    Not,
    Pipe,
    FunctionCall,
    ExpressionReference,
}
