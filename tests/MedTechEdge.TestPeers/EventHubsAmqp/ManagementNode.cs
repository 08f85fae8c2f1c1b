using System.Globalization;
using Amqp;
using Amqp.Types;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// The <c>$management</c> READs the SDKs issue for hub and partition properties. Each request carries its own token in
/// the <c>security_token</c> application property (no put-token comes first), so each is checked on its own.
/// </summary>
internal static class ManagementNode
{
    public static Message Answer(PeerState state, Message request)
    {
        if (state.Tokens.ValidateAny(StatusResponse.Property(request, "security_token")) is string refusal)
        {
            state.RefuseToken(refusal);
            return StatusResponse.Create(401, refusal);
        }

        string? operation = StatusResponse.Property(request, "operation");
        string? type = StatusResponse.Property(request, "type");
        string? name = StatusResponse.Property(request, "name");
        if (operation != "READ")
        {
            return StatusResponse.Create(400, $"unsupported operation '{operation}'");
        }

        if (!string.Equals(name, state.Options.Hub, StringComparison.OrdinalIgnoreCase))
        {
            return StatusResponse.Create(404, $"no hub '{name}'");
        }

        return type switch
        {
            "com.microsoft:eventhub" => StatusResponse.Create(200, "OK", HubProperties(state)),
            "com.microsoft:partition" => PartitionProperties(state, StatusResponse.Property(request, "partition")),
            _ => StatusResponse.Create(400, $"unsupported type '{type}'"),
        };
    }

    private static Map HubProperties(PeerState state)
    {
        string[] ids = new string[state.Options.PartitionCount];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = i.ToString(CultureInfo.InvariantCulture);
        }

        return new Map
        {
            ["name"] = state.Options.Hub,
            ["created_at"] = state.CreatedAt.UtcDateTime,
            ["partition_count"] = state.Options.PartitionCount,
            ["partition_ids"] = ids,
        };
    }

    private static Message PartitionProperties(PeerState state, string? partitionId)
    {
        if (!int.TryParse(partitionId, NumberStyles.None, CultureInfo.InvariantCulture, out int partition)
            || partition >= state.Options.PartitionCount)
        {
            return StatusResponse.Create(404, $"no partition '{partitionId}'");
        }

        // An empty partition reports -1 for its last sequence number and offset, as the service does.
        EventHubsRecordedEvent? last = state.Log.State(partition).Last;
        var map = new Map
        {
            ["name"] = state.Options.Hub,
            ["partition"] = partitionId,
            ["begin_sequence_number"] = 0L,
            ["last_enqueued_sequence_number"] = last?.SequenceNumber ?? -1L,
            ["last_enqueued_offset"] = (last?.Offset ?? -1L).ToString(CultureInfo.InvariantCulture),
            ["last_enqueued_time_utc"] = (last?.EnqueuedTime ?? state.CreatedAt).UtcDateTime,
            ["is_partition_empty"] = last is null,
        };
        return StatusResponse.Create(200, "OK", map);
    }
}
