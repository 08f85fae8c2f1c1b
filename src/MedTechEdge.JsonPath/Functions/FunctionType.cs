namespace MedTechEdge.JsonPath.Functions;

/// <summary>RFC 9535 §2.4.1 function extension types.</summary>
internal enum FunctionType
{
    ValueType,
    LogicalType,
    NodesType,
}
