using System.Text.Json;
using MedTechEdge.Simulation.Tests.TestSupport;

namespace MedTechEdge.Simulation.Tests;

/// <summary>The malformed-message ratio: how many, and what each fault looks like on the wire.</summary>
public sealed class Malformed_Message_Tests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    [InlineData(1.0)]
    public void The_Share_Of_Malformed_Messages_Follows_The_Ratio(double ratio)
    {
        List<GeneratedMessage> messages = Generated.Messages(new DeviceSimulationOptions { DeviceCount = 10, Seed = 4, MalformedRatio = ratio }, 500);

        double share = messages.Count(m => m.Form != MessageForm.WellFormed) / (double)messages.Count;
        // 5,000 draws: the standard deviation of the share is under 0.6 percentage points.
        Assert.InRange(share, ratio - 0.03, ratio + 0.03);
    }

    [Fact]
    public void Every_Fault_Occurs_And_Looks_As_Named()
    {
        List<GeneratedMessage> messages = Generated.Messages(new DeviceSimulationOptions { DeviceCount = 5, Seed = 6, MalformedRatio = 1 }, 40);

        Assert.Equal(
            [MessageForm.InvalidJson, MessageForm.MissingDeviceId, MessageForm.WrongTimestampType, MessageForm.WrongValueType],
            messages.Select(m => m.Form).Distinct().Order());
        foreach (GeneratedMessage message in messages)
        {
            if (message.Form == MessageForm.InvalidJson)
            {
                Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(message.Json));
                continue;
            }

            JsonElement root = message.Root;
            Assert.Equal(message.Form != MessageForm.MissingDeviceId, root.TryGetProperty("deviceId", out _));
            JsonValueKind time = root.GetProperty("measurementTime").ValueKind;
            Assert.Equal(message.Form == MessageForm.WrongTimestampType ? JsonValueKind.Number : JsonValueKind.String, time);
            if (message.Form == MessageForm.WrongValueType)
            {
                string text = message.Device.Kind == DeviceKind.Ecg
                    ? root.GetProperty("ecg")[0].GetProperty("mv").GetString()!
                    : root.EnumerateObject().Last().Value.GetString()!;
                Assert.Contains(" ", text, StringComparison.Ordinal);
            }
        }
    }
}
