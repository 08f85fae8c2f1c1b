using System.Globalization;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Tests.TestSupport;

internal static class Peers
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static async Task<MqttClient> ConnectAsync(int port, string clientId, MqttProtocolVersion version = MqttProtocolVersion.V500, Action<MqttClientOptions>? configure = null)
    {
        var options = new MqttClientOptions { Port = port, ClientId = clientId, ProtocolVersion = version };
        configure?.Invoke(options);
        var client = new MqttClient();
        MqttConnectResult result = await client.ConnectAsync(options, CancellationToken.None);
        Assert.True(result.IsSuccess, $"CONNACK {result.ReasonCode}");
        return client;
    }

    public static async Task<MqttApplicationMessage> ReceiveAsync(MqttClient client, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        return await client.ReceivedMessages.ReadAsync(cts.Token);
    }

    /// <summary>Starts mosquitto_sub and waits until its subscription is in place (it prints nothing before, so poll with a probe publish).</summary>
    public static async Task<TestPeers.RunningMosquittoClient> StartSubscriberAsync(int port, string topic, string version, string qos, Func<Task> probe, params string[] extra)
    {
        var arguments = new List<string> { "-h", "127.0.0.1", "-p", Text(port), "-V", version, "-q", qos, "-t", topic, "-v" };
        arguments.AddRange(extra);
        TestPeers.RunningMosquittoClient subscriber = TestPeers.MosquittoClients.Start(TestPeers.MosquittoClients.SubscriberPath, [.. arguments]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!subscriber.StandardOutput.Contains("probe", StringComparison.Ordinal))
        {
            if (clock.Elapsed > Timeout)
            {
                await subscriber.DisposeAsync();
                throw new TimeoutException("mosquitto_sub never received the probe.");
            }

            await probe();
            await Task.Delay(100);
        }

        return subscriber;
    }
}
