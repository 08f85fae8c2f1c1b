using System.Text.Json;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

namespace MedTechEdge.IotEdge;

/// <summary>
/// Sends each new dead letter on output <c>deadletters</c>, with its reason and the original message, so a route can
/// take them to IoT Hub for an operator. The store keeps them either way (the <c>deadletters</c> tool and
/// <c>RequeueDeadLetters</c> work on the store); this is a copy, sent at least once. The last id sent is kept in a
/// file beside the store, so dead letters made while edgeHub was away, or before a restart, still go out; on the
/// very first start only dead letters made from then on are sent.
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
        string cursorFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(store.Options.Path)) ?? ".", "deadletters-output.cursor");
        long newest = DeadLetterTable.MaxId(connection);
        // A cursor beyond the newest id belongs to another store (or one emptied since): start from now.
        long cursor = ReadCursor(cursorFile) is long saved && saved <= newest ? saved : newest;
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

                if (letters.Count > 0)
                {
                    // Written aside and renamed: a crash mid-write leaves the previous cursor, never an empty file.
                    await File.WriteAllTextAsync(cursorFile + ".tmp", cursor.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None).ConfigureAwait(false);
                    File.Move(cursorFile + ".tmp", cursorFile, overwrite: true);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static long? ReadCursor(string path)
    {
        try
        {
            return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long id) ? id : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> Properties(DeadLetter letter) => new(StringComparer.Ordinal)
    {
        ["stage"] = letter.StageName,
        ["errorKind"] = letter.KindName,
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
