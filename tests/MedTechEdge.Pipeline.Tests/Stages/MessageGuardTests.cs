using System.Text;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Pipeline.Tests.Stages;

/// <summary>
/// What the Map stage refuses before anything becomes a resource, and what it never drops silently (issue 12, items 1
/// and 6): a sender naming a device it may not speak for, bodies that are not text, implausible times, and messages
/// that match no template.
/// </summary>
public sealed class MessageGuardTests
{
    private static readonly DateTime s_now = DateTime.UtcNow;

    [Fact]
    public async Task A_Sender_Naming_A_Device_It_May_Not_Speak_For_Is_A_DeviceIdentityMismatch_And_Nothing_Of_It_Is_Written()
    {
        using var harness = new PipelineHarness();
        var devA = new DeviceBinding("devA");
        var hub = new DeviceBinding("hub-1", ["mon-*", "pump-7"]);
        await harness.AppendAsync(
            Bound(devA, Vitals("devB", "X", 0)),
            Bound(devA, Vitals("devA", "pat-A", 1)),
            Bound(hub, Vitals("mon-3", "pat-C", 2)),
            Bound(hub, Vitals("pump-7", "pat-C", 3)),
            Bound(hub, Vitals("pump-8", "pat-C", 4)),
            Bound(null, Vitals("anyone", "pat-D", 5)));

        MapStage map = await RunAsync(harness);

        List<DeadLetter> letters = harness.DeadLetters();
        Assert.Equal([DeadLetterKind.DeviceIdentityMismatch, DeadLetterKind.DeviceIdentityMismatch], letters.ConvertAll(l => l.Kind));
        Assert.Contains("'devB'", letters[0].Error, StringComparison.Ordinal);
        Assert.Contains("'devA'", letters[0].Error, StringComparison.Ordinal);
        Assert.Contains("'pump-8'", letters[1].Error, StringComparison.Ordinal);
        // The binding survives the dead letter, so a requeue is checked against the same rights.
        Assert.Equal("devA", letters[0].Message.Binding?.Identity);
        List<OutboxRecord> outbox = harness.Outbox();
        Assert.DoesNotContain(outbox, r => r.DeviceId == "devB" || r.DeviceId == "pump-8");
        Assert.Equal(4, outbox.FindAll(r => r.ResourceType == "Observation").Count);
        Assert.Equal(2, map.DeadLetteredCount);
    }

    [Fact]
    public async Task Messages_Sent_On_Unmapped_Are_Still_Checked_For_Their_Sender_And_Their_Body()
    {
        using var harness = new PipelineHarness();
        harness.Options.Output = MapOutput.DeviceMessages;
        var devA = new DeviceBinding("devA");
        await harness.AppendAsync(
            Bound(devA, Vitals("devB", "X", 0)),
            Bound(devA, """{"firmware":"1.2"}"""),
            Bound(devA, Vitals("devA", "pat-A", 1)),
            Bound(null, """{"firmware":"1.2"}"""),
            Raw([]));

        await RunAsync(harness);

        List<DeadLetter> letters = harness.DeadLetters();
        Assert.Equal([DeadLetterKind.DeviceIdentityMismatch, DeadLetterKind.DeviceIdentityMismatch, DeadLetterKind.InvalidDeviceMessage], letters.ConvertAll(l => l.Kind));
        Assert.Contains("cannot be verified", letters[1].Error, StringComparison.Ordinal);
        // devA's own vitals and an unbound message go up as they came in.
        List<OutboxRecord> outbox = harness.Outbox();
        Assert.Equal(2, outbox.Count);
        Assert.All(outbox, r => Assert.Equal("DeviceMessage", r.ResourceType));
    }

    [Fact]
    public async Task Empty_And_Non_UTF8_Bodies_Are_InvalidDeviceMessage_Dead_Letters()
    {
        using var harness = new PipelineHarness();
        byte[] latin1 = [.. "{\"deviceId\":\"d\u00e9\"}"u8[..13], 0xE9, .. "\"}"u8];
        await harness.AppendAsync(Raw([]), Raw(latin1), Raw(Encoding.UTF8.GetBytes(Vitals("d1", "p1", 0))));

        await RunAsync(harness);

        List<DeadLetter> letters = harness.DeadLetters();
        Assert.Equal([DeadLetterKind.InvalidDeviceMessage, DeadLetterKind.InvalidDeviceMessage], letters.ConvertAll(l => l.Kind));
        Assert.Contains("empty", letters[0].Error, StringComparison.Ordinal);
        Assert.Contains("UTF-8", letters[1].Error, StringComparison.Ordinal);
        Assert.Equal(latin1, letters[1].Message.Body);
        Assert.Single(harness.Outbox(), r => r.ResourceType == "Observation");
    }

    [Fact]
    public async Task A_Message_That_Matches_No_Template_Is_Counted_Or_Kept_On_Request()
    {
        using var counted = new PipelineHarness();
        var metrics = new PipelineMetrics();
        await counted.AppendAsync("""{"firmware":"1.2.3"}""", Vitals("d1", "p1", 0));

        MapStage map = await RunAsync(counted, metrics);

        Assert.Empty(counted.DeadLetters());
        Assert.Equal(1, map.UnmatchedCount);
        Assert.Equal(1, metrics.UnmatchedMessages);

        using var kept = new PipelineHarness();
        kept.Options.DeadLetterUnmatched = true;
        await kept.AppendAsync("""{"firmware":"1.2.3"}""");

        await RunAsync(kept);

        DeadLetter letter = Assert.Single(kept.DeadLetters());
        Assert.Equal(DeadLetterKind.UnmatchedMessage, letter.Kind);
        Assert.Equal("UnmatchedMessage", letter.KindName);
    }

    [Theory]
    [InlineData("1970-01-01T00:00:00Z", "before the earliest accepted time")]
    [InlineData("0001-01-01T00:00:00Z", "before the earliest accepted time")]
    [InlineData("2100-01-01T00:00:00Z", "ahead of the gateway clock")]
    public async Task A_Measurement_Time_Out_Of_Range_Is_A_TimestampOutOfRange_Dead_Letter_Naming_The_Field(string time, string reason)
    {
        using var harness = new PipelineHarness();
        await harness.AppendAsync(VitalsAt("d1", "p1", time), Vitals("d1", "p1", 0));

        await RunAsync(harness);

        DeadLetter letter = Assert.Single(harness.DeadLetters());
        Assert.Equal(DeadLetterKind.TimestampOutOfRange, letter.Kind);
        Assert.Contains("timestampExpression", letter.Error, StringComparison.Ordinal);
        Assert.Contains(reason, letter.Error, StringComparison.Ordinal);
        Assert.Single(harness.Outbox(), r => r.ResourceType == "Observation");
    }

    [Fact]
    public async Task Times_Within_The_Skew_Are_Accepted_And_A_Lower_Floor_Lets_Old_Data_Be_Replayed()
    {
        using var harness = new PipelineHarness();
        harness.Options.EarliestTimestamp = new DateTime(1960, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        string soon = s_now.AddMinutes(5).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await harness.AppendAsync(VitalsAt("d1", "p1", "1970-01-01T00:00:00Z"), VitalsAt("d1", "p1", soon));

        await RunAsync(harness);

        Assert.Empty(harness.DeadLetters());
        Assert.Equal(2, harness.Outbox().FindAll(r => r.ResourceType == "Observation").Count);
    }

    [Fact]
    public async Task A_Skew_Set_Beyond_The_Calendar_Lets_Every_Future_Time_Through()
    {
        using var harness = new PipelineHarness();
        harness.Options.MaxClockSkew = TimeSpan.MaxValue;
        await harness.AppendAsync(VitalsAt("d1", "p1", "2999-01-01T00:00:00Z"));

        await RunAsync(harness);

        Assert.Empty(harness.DeadLetters());
        Assert.Single(harness.Outbox(), r => r.ResourceType == "Observation");
    }

    private static async Task<MapStage> RunAsync(PipelineHarness harness, PipelineMetrics? metrics = null)
    {
        var map = new MapStage(harness.Store, harness.DeviceMapping, harness.FhirMapping, harness.Signals, harness.Options, TimeProvider.System, NullLogger<MapStage>.Instance, metrics: metrics);
        await map.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the inbox to drain");
        await map.StopAsync(CancellationToken.None);
        return map;
    }

    private static string Vitals(string device, string patient, int minutesAgo) =>
        VitalsAt(device, patient, s_now.AddMinutes(-minutesAgo - 1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));

    private static string VitalsAt(string device, string patient, string time) =>
        $$"""{"deviceId":"{{device}}","patientId":"{{patient}}","measurementTime":"{{time}}","heartRate":72}""";

    private static InboxMessage Bound(DeviceBinding? binding, string body) =>
        new() { ReceivedUtc = DateTime.UtcNow, Source = MessageSources.Mqtt, DeviceId = binding?.Identity, Binding = binding, Body = Encoding.UTF8.GetBytes(body) };

    private static InboxMessage Raw(byte[] body) => new() { ReceivedUtc = DateTime.UtcNow, Source = MessageSources.Mqtt, DeviceId = "d", Body = body };
}
