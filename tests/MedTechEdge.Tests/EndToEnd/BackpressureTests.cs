using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// The FHIR server is unreachable, so everything accumulates in the store. At the size cap the module
/// refuses new messages with a negative acknowledgement instead of dropping what it already acknowledged.
/// </summary>
public sealed class BackpressureTests
{
    [Fact]
    public async Task With_The_Fhir_Server_Down_A_Full_Store_Answers_Quota_Exceeded()
    {
        // Port 1 on loopback refuses connections: a server that is down.
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(new Uri("http://127.0.0.1:1/fhir/"), "--MedTechEdge:Store:MaxSizeBytes=300000");
        await using var client = new MqttClient();
        MqttConnectResult connected = await client.ConnectAsync(new MqttClientOptions { Port = module.MqttEndPoint.Port, ClientId = "bp-1", ProtocolVersion = MqttProtocolVersion.V500 }, CancellationToken.None);
        Assert.True(connected.IsSuccess);

        string pad = new('x', 8000);
        MqttPublishResult? refused = null;
        int accepted = 0;
        for (int i = 0; i < 500 && refused is null; i++)
        {
            byte[] payload = System.Text.Encoding.UTF8.GetBytes($$"""{"deviceId":"bp-1","patientId":"p","measurementTime":"2026-11-21T10:00:{{i % 60:00}}Z","heartRate":70,"pad":"{{pad}}"}""");
            MqttPublishResult result = await client.PublishAsync("devices/bp-1/messages/events/", payload, MqttQualityOfServiceLevel.AtLeastOnce);
            if (result.IsSuccess)
            {
                accepted++;
            }
            else
            {
                refused = result;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal(MqttPubAckReasonCode.QuotaExceeded, refused.ReasonCode);
        Assert.True(accepted > 10, $"only {accepted} accepted before the cap");
        Assert.Equal(0, module.Persist.PersistedCount);
    }
}
