using MedTechEdge.Mqtt.Packets;

namespace MedTechEdge.Mqtt.Server;

/// <summary>
/// A received PUBLISH waiting for its ingest result, in receive order. <see cref="Result"/> is awaited exactly once,
/// by the acknowledgement loop; the packet's pooled payload is returned after that. <see cref="IsNotAuthorized"/>: the
/// device may not publish to this topic; it is answered 0x87 and neither ingested nor routed.
/// </summary>
internal readonly record struct MqttPendingPublish(MqttPublishPacket Packet, ValueTask<MqttIngestResult> Result, bool IsIngest, bool IsDuplicate, bool IsNotAuthorized = false);
