// Microsoft's Node Event Hubs SDK as a second referee of the Event Hubs AMQP peer: reads the hub's partition ids,
// sends a keyed batch with a content type and application properties, then one event to partition 1, and prints
// one JSON line with what it saw. The connection string comes from EH_CONNECTION_STRING and is never printed:
// some of the SDK's error messages quote it whole, so only the error's name and code go to stderr.
import { EventHubProducerClient } from "@azure/event-hubs";

const producer = new EventHubProducerClient(process.env.EH_CONNECTION_STRING, {
  retryOptions: { maxRetries: 2, retryDelayInMs: 50, timeoutInMs: 10000 },
});

try {
  const partitionIds = await producer.getPartitionIds();
  const batch = await producer.createBatch({ partitionKey: "monitor-9" });
  for (let i = 0; i < 3; i++) {
    const added = batch.tryAdd({
      body: Buffer.from(JSON.stringify({ hr: 80 + i })),
      contentType: "application/json",
      properties: { type: "heartrate", n: i },
    });
    if (!added) throw new Error(`event ${i} did not fit the batch`);
  }
  await producer.sendBatch(batch);
  await producer.sendBatch([{ body: Buffer.from("to one") }], { partitionId: "1" });
  const partition = await producer.getPartitionProperties("1");
  console.log(JSON.stringify({ partitionIds, maxSizeInBytes: batch.maxSizeInBytes, lastSequenceNumberOfOne: partition.lastEnqueuedSequenceNumber }));
} catch (error) {
  const causes = (error?.errors ?? []).map((e) => `${e?.code} ${e?.address ?? ""}:${e?.port ?? ""}`).join(", ");
  console.error(`referee failed: ${error?.name} ${error?.code ?? ""} ${causes}`);
  process.exitCode = 1;
} finally {
  await producer.close();
}
