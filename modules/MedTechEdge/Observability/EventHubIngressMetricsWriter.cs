using MedTechEdge.EventHubs.Ingress;

namespace MedTechEdge.Observability;

/// <summary>
/// The Event Hubs ingress's families in a scrape: per partition (a handful per hub, so the label is bounded) the events
/// received, whether this instance owns it and the checkpoint lag; in total the partitions owned, the ownership changes
/// and the batches held while the store refused commits.
/// </summary>
internal static class EventHubIngressMetricsWriter
{
    public static void Write(PrometheusTextWriter w, string prefix, EventHubIngressMetrics metrics)
    {
        List<PartitionIngressState> partitions = metrics.Snapshot();
        w.Family(prefix + "eventhub_events_received_total", "counter", "Events read from the event hub, per partition (stored in the inbox or dead-lettered).");
        foreach (PartitionIngressState p in partitions)
        {
            w.Sample(prefix + "eventhub_events_received_total", [("partition", p.PartitionId)], p.Received);
        }

        w.Family(prefix + "eventhub_events_too_large_total", "counter", "Events over EventHubIngress:MaxEventBytes, kept as EventTooLarge dead letters, per partition.");
        foreach (PartitionIngressState p in partitions)
        {
            w.Sample(prefix + "eventhub_events_too_large_total", [("partition", p.PartitionId)], p.DeadLetters);
        }

        w.Family(prefix + "eventhub_checkpoint_lag", "gauge", "Events in the partition after the last checkpoint, by sequence number (last enqueued minus last checkpointed).");
        foreach (PartitionIngressState p in partitions)
        {
            w.Sample(prefix + "eventhub_checkpoint_lag", [("partition", p.PartitionId)], p.CheckpointLag);
        }

        w.Family(prefix + "eventhub_partition_owned", "gauge", "1 while this instance owns the partition.");
        foreach (PartitionIngressState p in partitions)
        {
            w.Sample(prefix + "eventhub_partition_owned", [("partition", p.PartitionId)], p.Owned ? 1 : 0);
        }

        w.Family(prefix + "eventhub_partitions_owned", "gauge", "Partitions this instance owns now.");
        w.Sample(prefix + "eventhub_partitions_owned", [], metrics.OwnedPartitions);
        w.Family(prefix + "eventhub_ownership_changes_total", "counter", "Partitions this instance took or gave up (load balancing, restarts, another instance taking over).");
        w.Sample(prefix + "eventhub_ownership_changes_total", [], metrics.OwnershipChanges);
        w.Family(prefix + "eventhub_held_batches_total", "counter", "Times a partition's batch was refused by the store (at Store:MaxSizeBytes) and held for another try.");
        w.Sample(prefix + "eventhub_held_batches_total", [], metrics.HeldBatches);
    }
}
