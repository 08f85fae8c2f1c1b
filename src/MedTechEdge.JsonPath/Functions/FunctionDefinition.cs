namespace MedTechEdge.JsonPath.Functions;

/// <summary>The function extensions RFC 9535 §2.4.4–§2.4.8 defines.</summary>
internal enum FunctionKind
{
    Length,
    Count,
    Match,
    Search,
    Value,
}

/// <summary>A function's signature, used by the parser for the well-typedness rules of §2.4.3.</summary>
internal sealed class FunctionDefinition
{
    private static readonly FunctionDefinition[] s_all =
    [
        new("length", FunctionKind.Length, FunctionType.ValueType, [FunctionType.ValueType]),
        new("count", FunctionKind.Count, FunctionType.ValueType, [FunctionType.NodesType]),
        new("match", FunctionKind.Match, FunctionType.LogicalType, [FunctionType.ValueType, FunctionType.ValueType]),
        new("search", FunctionKind.Search, FunctionType.LogicalType, [FunctionType.ValueType, FunctionType.ValueType]),
        new("value", FunctionKind.Value, FunctionType.ValueType, [FunctionType.NodesType]),
    ];

    private FunctionDefinition(string name, FunctionKind kind, FunctionType result, FunctionType[] parameters)
    {
        Name = name;
        Kind = kind;
        Result = result;
        Parameters = parameters;
    }

    public string Name { get; }

    public FunctionKind Kind { get; }

    public FunctionType Result { get; }

    public FunctionType[] Parameters { get; }

    public static FunctionDefinition? Find(string name)
    {
        foreach (FunctionDefinition definition in s_all)
        {
            if (definition.Name == name)
            {
                return definition;
            }
        }

        return null;
    }
}
