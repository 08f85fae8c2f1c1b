using System.Globalization;
using System.Text.Json;
using MedTechEdge.Mapping;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Pipeline.Tests.Stages;

/// <summary>
/// SampledData windows are kept open in the store and written once per flush interval and when they close, so the
/// FHIR server sees one write per window per flush, not one per device message (issue 5, grouping).
/// </summary>
public sealed class SampledDataWindowTests
{
    private static readonly DeviceMapping s_devices = DeviceMapping.Load("""
        {"templateType":"CollectionContent","template":[{"templateType":"CalculatedContent","template":{
          "typeName":"ecg","typeMatchExpression":"$..[?(@mv)]",
          "deviceIdExpression":"$.matchedToken.deviceId","timestampExpression":"$.matchedToken.time",
          "patientIdExpression":"$.matchedToken.patientId",
          "values":[{"valueName":"mv","valueExpression":"$.matchedToken.mv","required":true}]}}]}
        """);

    private static readonly FhirMapping s_fhir = FhirMapping.Load("""
        {"templateType":"CollectionFhir","template":[{"templateType":"CodeValueFhir","template":{
          "typeName":"ecg","periodInterval":60,"codes":[{"system":"http://loinc.org","code":"131328"}],
          "value":{"valueType":"SampledData","valueName":"mv","defaultPeriod":1000,"unit":"mV"}}}]}
        """);

    // The windows' hour. The stage's clock starts ten minutes into it: a window closes only when a test moves the
    // clock past the hour, and flushes only when a test moves it past the interval.
    private static readonly DateTime s_openHour = new(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);

    private readonly TestClock _clock = new(new DateTimeOffset(s_openHour.AddMinutes(10)));

    [Fact]
    public async Task Messages_Of_One_Open_Window_In_Separate_Batches_Become_One_Write_Per_Flush()
    {
        using var harness = new PipelineHarness();
        harness.Options.SampledDataFlushInterval = TimeSpan.FromSeconds(5);
        MapStage map = Map(harness);
        await map.StartAsync(CancellationToken.None);

        for (int i = 0; i < 5; i++)
        {
            // One message per batch: the stage has mapped each before the next arrives.
            await harness.AppendAsync(Message(s_openHour.AddSeconds(i), i));
            await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the batch to be mapped");
            _clock.Advance(TimeSpan.FromSeconds(0.5));
        }

        await PassAsync(harness, map);
        Assert.Empty(Writes(harness));

        // Five seconds after the first message: one write with all five.
        _clock.Advance(TimeSpan.FromSeconds(2.5));
        await PipelineHarness.WaitAsync(() => Writes(harness).Count >= 1, "the window's flush");

        // Another interval passes with nothing new: nothing is left to write, even when asked.
        _clock.Advance(TimeSpan.FromSeconds(5.5));
        Assert.Equal(0, await harness.Signals.RequestWindowFlushAsync());
        await map.StopAsync(CancellationToken.None);

        OutboxRecord write = Assert.Single(Writes(harness));
        JsonElement observation = JsonDocument.Parse(write.Body).RootElement;
        Assert.Equal(["0", "0.1", "0.2", "0.3", "0.4"], Slots(observation)[..5]);
        Assert.Equal("final", observation.GetProperty("status").GetString());
        Assert.Equal(1, map.WindowsFlushedCount);
        using SqliteConnection connection = harness.Store.OpenConnection();
        Assert.Equal(1, WindowTable.Count(connection));
    }

    [Fact]
    public async Task A_Later_Flush_Of_The_Same_Window_Carries_Every_Slot_And_Is_An_Amendment()
    {
        using var harness = new PipelineHarness();
        harness.Options.SampledDataFlushInterval = TimeSpan.FromMilliseconds(300);
        MapStage map = Map(harness);
        await map.StartAsync(CancellationToken.None);

        await harness.AppendAsync(Message(s_openHour, 0), Message(s_openHour.AddSeconds(1), 1));
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the first messages to be mapped");
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        await PipelineHarness.WaitAsync(() => Writes(harness).Count == 1, "the first flush");

        await harness.AppendAsync(Message(s_openHour.AddSeconds(3), 3));
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the third message to be mapped");
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        await PipelineHarness.WaitAsync(() => Writes(harness).Count == 2, "the second flush");
        await map.StopAsync(CancellationToken.None);

        List<OutboxRecord> writes = Writes(harness);
        Assert.Equal(writes[0].ResourceId, writes[1].ResourceId);
        JsonElement second = JsonDocument.Parse(writes[1].Body).RootElement;
        Assert.Equal(["0", "0.1", "E", "0.3"], Slots(second)[..4]);
        Assert.Equal("amended", second.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_Window_Is_Written_When_Its_Hour_Ends_And_Leaves_The_Store_An_Interval_Later()
    {
        using var harness = new PipelineHarness();
        harness.Options.SampledDataFlushInterval = TimeSpan.FromMinutes(10);
        _clock.SetUtcNow(new DateTimeOffset(s_openHour.AddMinutes(30)));
        MapStage map = Map(harness);
        await map.StartAsync(CancellationToken.None);

        await harness.AppendAsync(Message(s_openHour.AddMinutes(29), 1), Message(s_openHour.AddMinutes(29).AddSeconds(2), 3));
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the messages to be mapped");
        await PassAsync(harness, map);
        Assert.Empty(Writes(harness));

        // The hour ends long before the ten-minute interval would have written it.
        _clock.SetUtcNow(new DateTimeOffset(s_openHour.AddHours(1).AddSeconds(1)));
        await PipelineHarness.WaitAsync(() => Writes(harness).Count == 1, "the write at the end of the hour");
        using SqliteConnection connection = harness.Store.OpenConnection();
        Assert.Equal(1, WindowTable.Count(connection));

        // Kept one interval for late data, then gone.
        _clock.SetUtcNow(new DateTimeOffset(s_openHour.AddHours(1).AddMinutes(11)));
        await PipelineHarness.WaitAsync(() => WindowTable.Count(connection) == 0, "the closed window to leave the store");
        await map.StopAsync(CancellationToken.None);

        string[] slots = Slots(JsonDocument.Parse(Assert.Single(Writes(harness)).Body).RootElement);
        // One slot a second from the top of the hour: minute 29 is slot 1,740.
        Assert.Equal(["0.1", "E", "0.3"], slots[1740..1743]);
    }

    [Fact]
    public async Task An_Open_Window_Survives_A_Restart_And_Is_Written_Afterwards()
    {
        using var harness = new PipelineHarness();
        harness.Options.SampledDataFlushInterval = TimeSpan.FromHours(1);
        MapStage first = Map(harness);
        await first.StartAsync(CancellationToken.None);
        await harness.AppendAsync(Message(s_openHour, 0));
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the message to be mapped");
        await first.StopAsync(CancellationToken.None);
        // Mapped (the inbox is empty), and held in its window, not written.
        Assert.Equal(0, harness.Counts().Inbox);
        Assert.Empty(Writes(harness));

        harness.Options.SampledDataFlushInterval = TimeSpan.FromMilliseconds(100);
        MapStage second = Map(harness);
        await second.StartAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        await PipelineHarness.WaitAsync(() => Writes(harness).Count == 1, "the window kept in the store to be written");
        await second.StopAsync(CancellationToken.None);
    }

    /// <summary>
    /// Returns once the stage has finished the loop pass that mapped everything appended so far, flush check
    /// included: a message that matches no template is mapped only in a later pass.
    /// </summary>
    private static async Task PassAsync(PipelineHarness harness, MapStage map)
    {
        long mapped = map.MappedCount;
        await harness.AppendAsync("""{"unrelated":true}""");
        await PipelineHarness.WaitAsync(() => map.MappedCount > mapped, "a later pass of the stage");
    }

    // The Observations written; Create mode also writes the Patient and Device once.
    private static List<OutboxRecord> Writes(PipelineHarness harness) => harness.Outbox().FindAll(r => r.ResourceType == "Observation");

    private MapStage Map(PipelineHarness harness)
    {
        // The linger waits on this clock, which only the tests move: each batch is mapped as soon as it is read.
        harness.Options.MapLinger = TimeSpan.Zero;
        return new(harness.Store, s_devices, s_fhir, harness.Signals, harness.Options, _clock, NullLogger<MapStage>.Instance);
    }

    private static string Message(DateTime time, int tenths) =>
        $$"""{"deviceId":"ecg-1","patientId":"p1","time":"{{time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}","mv":{{(tenths / 10.0).ToString("0.0", CultureInfo.InvariantCulture)}}}""";

    private static string[] Slots(JsonElement observation) =>
        observation.GetProperty("valueSampledData").GetProperty("data").GetString()!.Split(' ');
}
