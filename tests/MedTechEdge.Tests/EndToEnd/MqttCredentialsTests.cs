using System.Globalization;
using MedTechEdge.Hosting;
using MedTechEdge.TestPeers;
using MedTechEdge.Tools;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>The module's MQTT listener with a credentials file made by <c>mqtt hash-password</c>.</summary>
public sealed class MqttCredentialsTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "medtechedge-credentials-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task Devices_Log_In_With_Hashed_Credentials_And_Wrong_Passwords_Are_Refused()
    {
        var line = new StringWriter();
        Assert.Equal(0, await ModuleEntryPoint.RunAsync(["mqtt", "hash-password", "bed-7"], new StringReader("s3cret-pass\n"), line, new StringWriter()));
        Assert.DoesNotContain("s3cret-pass", line.ToString(), StringComparison.Ordinal);
        File.WriteAllText(_file, line.ToString());

        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(null, "--MedTechEdge:Mqtt:CredentialsFile=" + _file);
        string port = module.MqttEndPoint.Port.ToString(CultureInfo.InvariantCulture);
        const string body = """{"deviceId":"bed-7","patientId":"p","measurementTime":"2026-11-21T10:00:00Z","heartRate":70}""";

        MosquittoClientResult good = await MosquittoClients.PublishAsync(TimeSpan.FromSeconds(20),
            "-h", "127.0.0.1", "-p", port, "-q", "1", "-V", "mqttv5", "-u", "bed-7", "-P", "s3cret-pass", "-t", "devices/bed-7/messages/events/", "-m", body);
        Assert.True(good.ExitCode == 0, good.StandardError);

        MosquittoClientResult bad = await MosquittoClients.PublishAsync(TimeSpan.FromSeconds(20),
            "-h", "127.0.0.1", "-p", port, "-q", "1", "-V", "mqttv5", "-u", "bed-7", "-P", "wrong", "-t", "devices/bed-7/messages/events/", "-m", body);
        Assert.NotEqual(0, bad.ExitCode);

        // Authenticated devices publish only under their own topic segment: PUBACK 0x87, which
        // mosquitto_pub reports on stderr.
        MosquittoClientResult other = await MosquittoClients.PublishAsync(TimeSpan.FromSeconds(20),
            "-h", "127.0.0.1", "-p", port, "-q", "1", "-V", "mqttv5", "-u", "bed-7", "-P", "s3cret-pass", "-t", "devices/bed-8/messages/events/", "-m", body);
        Assert.Contains("not authorized", other.StandardError, StringComparison.OrdinalIgnoreCase);

        await Eventually.TrueAsync(() => module.Map.MappedCount == 1, TimeSpan.FromSeconds(20), "the one accepted message");
    }

    [Fact]
    public async Task A_Missing_Credentials_File_Stops_Startup_Naming_The_Setting()
    {
        var ex = await Assert.ThrowsAsync<MedTechEdge.Hosting.ModuleStartupException>(() => ModuleUnderTest.StartAsync(null, "--MedTechEdge:Mqtt:CredentialsFile=/nonexistent/creds"));
        Assert.Contains("MedTechEdge:Mqtt", ex.Message, StringComparison.Ordinal);
    }
}
