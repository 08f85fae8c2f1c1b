namespace MedTechEdge.EventHubs;

/// <summary>One event: a UTF-8 body (the module sends JSON) and application properties.</summary>
/// <param name="Body">The body, sent as the event's <c>Body</c> string.</param>
/// <param name="Properties">Application properties (the REST batch's <c>UserProperties</c>); may be null.</param>
public sealed record EventData(ReadOnlyMemory<byte> Body, IReadOnlyDictionary<string, string>? Properties = null);
