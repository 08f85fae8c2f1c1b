namespace MedTechEdge.IotEdge;

/// <summary>The answer to a direct method: an HTTP-like status and a JSON body (IoT Hub requires JSON).</summary>
/// <param name="Status">200 for success; 400 for a bad request; 404 for an unknown method; 500 for a failure.</param>
/// <param name="Body">UTF-8 JSON.</param>
public sealed record ModuleMethodResponse(int Status, ReadOnlyMemory<byte> Body);
