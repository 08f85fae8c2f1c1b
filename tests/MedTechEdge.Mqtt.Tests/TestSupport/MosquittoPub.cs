using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.TestSupport;

/// <summary>mosquitto_pub / mosquitto_sub against 127.0.0.1 on a given port, with the common arguments filled in.</summary>
internal static class MosquittoPub
{
    public static Task<MosquittoClientResult> RunAsync(string port, params string[] arguments) =>
        MosquittoClients.PublishAsync(Peers.Timeout, ["-h", "127.0.0.1", "-p", port, .. arguments]);

    public static Task<MosquittoClientResult> SubscribeAsync(string port, params string[] arguments) =>
        MosquittoClients.SubscribeAsync(Peers.Timeout, ["-h", "127.0.0.1", "-p", port, .. arguments]);

    public static string Describe(MosquittoClientResult result) => $"exit {result.ExitCode}, stderr: {result.StandardError}, stdout: {result.StandardOutput}";
}
