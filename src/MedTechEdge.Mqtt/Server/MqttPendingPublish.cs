using MedTechEdge.Mqtt.Packets;

namespace MedTechEdge.Mqtt.Server;

/// <summary>
/// A received PUBLISH waiting for its ingest result, in receive order. <see cref="Result"/> is awaited exactly once,
/// by the acknowledgement loop; the packet's pooled payload is returned after that.
/// </summary>
internal readonly record struct MqttPendingPublish(MqttPublishPacket Packet, ValueTask<MqttIngestResult> Result, bool IsIngest, bool IsDuplicate);
