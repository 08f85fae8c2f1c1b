using System.Text.Json;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

namespace MedTechEdge.IotEdge;

/// <summary>
/// Sends each dead letter made since the module started on output <c>deadletters</c>, with its reason and the
/// original message, so a route can take them to IoT Hub for an operator. The store keeps them either way (the
/// <c>deadletters</c> tool and <c>RequeueDeadLetters</c> work on the store); this is a copy, sent at least once.
/// </summary>
internal sealed class DeadLetterForwarder(EdgeHubService edgeHub, MedTechStore store) : BackgroundService
{
    private static readonly TimeSpan s_poll = TimeSpan.FromSeconds(2);
    private long _forwarded;

    /// <summary>Dead letters sent so far.</summary>
    public long ForwardedCount => Interlocked.Read(ref _forwarded);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using SqliteConnection connection = store.OpenConnection();
        long cursor = DeadLetterTable.MaxId(connection);
        var letters = new List<DeadLetter>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(s_poll, stoppingToken).ConfigureAwait(false);
                if (!edgeHub.Client.IsConnected)
                {
                    continue;
                }

                letters.Clear();
                DeadLetterTable.ListAfter(connection, cursor, 100, letters);
                foreach (DeadLetter letter in letters)
                {
                    try
                    {
                        if (!await edgeHub.Client.SendOutputAsync(ModuleEndpoints.DeadLettersOutput, Serialize(letter), Properties(letter), stoppingToken).ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (Exception ex) when (ex is MqttNotConnectedException or TimeoutException)
                    {
                        break;
                    }

                    cursor = letter.Id;
                    Interlocked.Increment(ref _forwarded);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static Dictionary<string, string> Properties(DeadLetter letter) => new(StringComparer.Ordinal)
    {
        ["stage"] = letter.Stage,
        ["errorKind"] = letter.ErrorKind,
        ["deviceId"] = letter.Message.DeviceId ?? string.Empty,
    };

    private static byte[] Serialize(DeadLetter letter)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Tools.DeadLetterJson.WriteFull(writer, letter);
        }

        return buffer.ToArray();
    }
}
