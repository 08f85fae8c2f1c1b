// The referee of the module's blob checkpoint layout: Microsoft's Node checkpoint store
// (@azure/eventhubs-checkpointstore-blob) reads what the module's BlobCheckpointStore wrote and writes what it must read.
// Usage: node checkpoint-referee.mjs read|write  with
//   CHECKPOINT_CONNECTION_STRING  the storage connection string (Azurite's development account)
//   CHECKPOINT_CONTAINER          the container
//   CHECKPOINT_REQUEST            JSON: {namespace, hub, group, checkpoints?: [{partitionId, offset, sequenceNumber}],
//                                        ownerships?: [{partitionId, ownerId}]}
// Prints one JSON object on stdout: for read {checkpoints, ownerships}, for write {claimed}.
import { BlobCheckpointStore } from "@azure/eventhubs-checkpointstore-blob";
import { ContainerClient } from "@azure/storage-blob";

const [command] = process.argv.slice(2);
const request = JSON.parse(process.env.CHECKPOINT_REQUEST ?? "{}");
const container = new ContainerClient(process.env.CHECKPOINT_CONNECTION_STRING, process.env.CHECKPOINT_CONTAINER);
const store = new BlobCheckpointStore(container);
const scope = { fullyQualifiedNamespace: request.namespace, eventHubName: request.hub, consumerGroup: request.group };

if (command === "read") {
  const checkpoints = await store.listCheckpoints(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup);
  const ownerships = await store.listOwnership(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup);
  console.log(JSON.stringify({
    checkpoints: checkpoints.map((c) => ({ partitionId: c.partitionId, offset: c.offset, sequenceNumber: c.sequenceNumber })),
    ownerships: ownerships.map((o) => ({
      partitionId: o.partitionId, ownerId: o.ownerId, etag: o.etag, lastModifiedTimeInMs: o.lastModifiedTimeInMs,
    })),
  }));
} else if (command === "write") {
  for (const c of request.checkpoints ?? []) {
    await store.updateCheckpoint({ ...scope, partitionId: c.partitionId, offset: c.offset, sequenceNumber: c.sequenceNumber });
  }
  const claimed = await store.claimOwnership((request.ownerships ?? []).map((o) => ({ ...scope, partitionId: o.partitionId, ownerId: o.ownerId })));
  console.log(JSON.stringify({ claimed: claimed.map((o) => ({ partitionId: o.partitionId, ownerId: o.ownerId, etag: o.etag })) }));
} else {
  console.error(`unknown command '${command}': use read or write`);
  process.exit(2);
}
