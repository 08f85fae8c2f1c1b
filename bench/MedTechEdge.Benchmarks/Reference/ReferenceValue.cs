namespace MedTechEdge.Benchmarks.Reference;

/// <summary>One <c>values[]</c> entry: the JSONPath text is kept as a string, as the connector keeps it.</summary>
internal sealed record ReferenceValue(string ValueName, string Expression, bool Required);
