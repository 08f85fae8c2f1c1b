using System.Text.Json;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// Sends events into a hub with Microsoft's Node SDK (tests/peers/eventhubs-sdk/send-events.js), as a device
/// application or IoT Hub routing would: body text, application properties, and for routed events the
/// <c>iothub-*</c> annotations.
/// </summary>
internal static class EventHubSender
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    /// <summary>One event: <paramref name="Annotations"/> values that are <see cref="DateTime"/> go as AMQP timestamps.</summary>
    public sealed record Event(string Body, string PartitionId = "0", IReadOnlyDictionary<string, object>? Properties = null, IReadOnlyDictionary<string, object>? Annotations = null);

    public static async Task SendAsync(string connectionString, IReadOnlyList<Event> events)
    {
        NodeScriptResult run = await NodeScript.RunAsync("eventhubs-sdk", ["send-events.js"], new Dictionary<string, string> { ["EH_CONNECTION_STRING"] = connectionString }, s_deadline, Json(events));
        Assert.True(run.ExitCode == 0, $"send-events.js exited {run.ExitCode}: {run.Stderr}");
        using JsonDocument result = JsonDocument.Parse(run.Stdout);
        Assert.Equal(events.Count, result.RootElement.GetProperty("sent").GetInt32());
    }

    private static string Json(IReadOnlyList<Event> events)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (Event e in events)
            {
                writer.WriteStartObject();
                writer.WriteString("body", e.Body);
                writer.WriteString("partitionId", e.PartitionId);
                if (e.Properties is not null)
                {
                    writer.WritePropertyName("properties");
                    JsonSerializer.Serialize(writer, e.Properties);
                }

                if (e.Annotations is not null)
                {
                    writer.WriteStartObject("annotations");
                    foreach (KeyValuePair<string, object> pair in e.Annotations)
                    {
                        if (pair.Value is DateTime time)
                        {
                            writer.WriteStartObject(pair.Key);
                            writer.WriteString("$date", time.ToUniversalTime().ToString("o", System.Globalization.CultureInfo.InvariantCulture));
                            writer.WriteEndObject();
                        }
                        else
                        {
                            writer.WritePropertyName(pair.Key);
                            JsonSerializer.Serialize(writer, pair.Value);
                        }
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
