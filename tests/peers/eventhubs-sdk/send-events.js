// Microsoft's Node Event Hubs SDK as a device-message sender for the ingress tests: reads a JSON array of events from
// stdin, each {"body": "<text>", "partitionId"?: "0", "properties"?: {...}, "annotations"?: {...}}, and sends them in
// batches per partition, in order. An event with annotations goes as an AmqpAnnotatedMessage (how IoT Hub routing's
// iothub-* system properties are given; JS EventData carries none); an annotation {"$date": "<ISO 8601>"} becomes an
// AMQP timestamp, as IoT Hub sends iothub-enqueuedtime. Bodies are bytes, never JSON-encoded by the SDK, so a body
// that is not JSON arrives as it was written. Prints {"sent": n}. The connection string comes from
// EH_CONNECTION_STRING and is never printed: some SDK errors quote it whole, so only the error's name and code go out.
import { EventHubProducerClient } from "@azure/event-hubs";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const events = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const producer = new EventHubProducerClient(process.env.EH_CONNECTION_STRING, {
  retryOptions: { maxRetries: 3, retryDelayInMs: 50, timeoutInMs: 10000 },
});

function annotationsOf(annotations) {
  const out = {};
  for (const [name, value] of Object.entries(annotations)) {
    out[name] = value && typeof value === "object" && "$date" in value ? new Date(value.$date) : value;
  }
  return out;
}

function toMessage(e) {
  const body = Buffer.from(e.body, "utf8");
  if (e.annotations) {
    return { body, bodyType: "data", applicationProperties: e.properties ?? {}, messageAnnotations: annotationsOf(e.annotations) };
  }
  return { body, properties: e.properties ?? {} };
}

let sent = 0;
try {
  const byPartition = new Map();
  for (const e of events) {
    const key = e.partitionId ?? "0";
    if (!byPartition.has(key)) byPartition.set(key, []);
    byPartition.get(key).push(e);
  }
  for (const [partitionId, list] of byPartition) {
    let batch = await producer.createBatch({ partitionId });
    for (const e of list) {
      if (!batch.tryAdd(toMessage(e))) {
        await producer.sendBatch(batch);
        sent += batch.count;
        batch = await producer.createBatch({ partitionId });
        if (!batch.tryAdd(toMessage(e))) throw new Error("an event does not fit an empty batch");
      }
    }
    if (batch.count > 0) {
      await producer.sendBatch(batch);
      sent += batch.count;
    }
  }
  console.log(JSON.stringify({ sent }));
} catch (error) {
  console.error(`sender failed after ${sent} events: ${error?.name} ${error?.code ?? ""}`);
  process.exitCode = 1;
} finally {
  await producer.close();
}
