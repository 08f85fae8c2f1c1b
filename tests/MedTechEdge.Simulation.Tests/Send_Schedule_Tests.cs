using MedTechEdge.Simulation.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Simulation.Tests;

/// <summary>When devices send, through a transport the simulation knows only by its interface, on a clock the test moves.</summary>
public sealed class Send_Schedule_Tests
{
    private static readonly TimeSpan s_second = TimeSpan.FromSeconds(1);

    private sealed class Run : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _task;

        public Run(DeviceSimulationOptions options)
        {
            Clock = new TestClock(Generated.Start);
            options.TimeProvider = Clock;
            Transport = new RecordingTransport(Clock);
            Simulation = new DeviceSimulation(options, Transport);
            _task = Simulation.RunAsync(_stop.Token);
        }

        public TestClock Clock { get; }

        public RecordingTransport Transport { get; }

        public DeviceSimulation Simulation { get; }

        /// <summary>Moves the clock one second at a time, waiting after each for the messages it should bring.</summary>
        public async Task StepAsync(params int[] totalsAfterEachSecond)
        {
            foreach (int total in totalsAfterEachSecond)
            {
                Clock.Advance(s_second);
                await Transport.WaitForAsync(total);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _task.WaitAsync(TestTimeouts.Default);
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task Each_Device_Sends_Once_Per_Interval_And_Bursts_Replace_A_Tick_With_Back_To_Back_Messages()
    {
        await using var run = new Run(new DeviceSimulationOptions { DeviceCount = 2, Kinds = [DeviceKind.BedsideMonitor], Seed = 1, BurstEvery = TimeSpan.FromSeconds(5), BurstSize = 4 });
        await run.Transport.WaitForAsync(2);

        // Seconds 1-4: one each; second 5: a burst of four each; 6-9: one each; 10: another burst.
        await run.StepAsync(4, 6, 8, 10, 18, 20, 22, 24, 26, 34);
        // Real time on purpose: a message too many, which must not come, gets 100 ms to arrive.
        await Task.Delay(100);

        Assert.Equal(34, run.Transport.Messages.Count);
        Assert.Equal(4, run.Simulation.Statistics.Bursts);
        Assert.Equal(34, run.Simulation.Statistics.Acknowledged);
        SentMessage[] first = [.. run.Transport.Messages.Where(m => m.DeviceId == "sim-01")];
        Assert.Equal([0, 1, 2, 3, 4, 5, 5, 5, 5, 6, 7, 8, 9, 10, 10, 10, 10], first.Select(m => (int)(m.SentAt - Generated.Start).TotalSeconds));
        // Each message of a burst has its own measurement time.
        Assert.Equal(first.Length, first.Select(m => System.Text.Json.JsonDocument.Parse(m.Json).RootElement.GetProperty("measurementTime").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task After_A_Burst_The_Ecg_Stream_Waits_For_The_Clock_And_Stays_Unbroken()
    {
        await using var run = new Run(new DeviceSimulationOptions { DeviceCount = 1, Kinds = [DeviceKind.Ecg], Seed = 1, BurstEvery = TimeSpan.FromSeconds(3), BurstSize = 3 });
        await run.Transport.WaitForAsync(1);

        // 1, 2: one window each; 3: a burst of three (the stream is now two seconds ahead); 4: nothing; 5: one; 6: a burst.
        run.Clock.Advance(s_second);
        await run.Transport.WaitForAsync(2);
        run.Clock.Advance(s_second);
        await run.Transport.WaitForAsync(3);
        run.Clock.Advance(s_second);
        await run.Transport.WaitForAsync(6);
        run.Clock.Advance(s_second);
        // Real time on purpose: the tick of second 4 may send nothing; a message that should not come gets 200 ms.
        await Task.Delay(200);
        Assert.Equal(6, run.Transport.Messages.Count);
        run.Clock.Advance(s_second);
        await run.Transport.WaitForAsync(7);
        run.Clock.Advance(s_second);
        await run.Transport.WaitForAsync(10);

        long[] starts = [.. run.Transport.Messages.Select(m => System.Text.Json.JsonDocument.Parse(m.Json).RootElement.GetProperty("startTimeMs").GetInt64())];
        for (int i = 1; i < starts.Length; i++)
        {
            Assert.Equal(starts[i - 1] + 1000, starts[i]);
        }
    }

    [Fact]
    public async Task A_Device_Retries_Until_The_Transport_Connects_And_Reconnects_After_A_Loss()
    {
        var clock = new TestClock(Generated.Start);
        var transport = new RecordingTransport(clock) { Reachable = false };
        var simulation = new DeviceSimulation(new DeviceSimulationOptions { DeviceCount = 1, Seed = 1, TimeProvider = clock, ReconnectDelay = s_second }, transport);
        using var stop = new CancellationTokenSource();
        Task run = simulation.RunAsync(stop.Token);

        await Until(() => transport.ConnectAttempts >= 1);
        clock.Advance(s_second);
        await Until(() => transport.ConnectAttempts >= 2);
        Assert.Empty(transport.Messages);

        transport.Reachable = true;
        clock.Advance(s_second);
        await transport.WaitForAsync(1);
        transport.Drop("sim-01");
        clock.Advance(s_second);
        // The failed send ends the connection; the device connects again at once and goes on.
        await Until(() => simulation.Statistics.Connects == 2);
        clock.Advance(s_second);
        await transport.WaitForAsync(2);

        await stop.CancelAsync();
        await run.WaitAsync(TestTimeouts.Default);
        Assert.Equal(1, simulation.Statistics.Failed);
        Assert.False(transport.IsConnected("sim-01"));
    }

    [Fact]
    public void Options_Out_Of_Range_Are_Refused_By_Name()
    {
        var transport = new RecordingTransport(TimeProvider.System);
        Assert.Contains("MalformedRatio", Assert.Throws<ArgumentException>(() => new DeviceSimulation(new DeviceSimulationOptions { MalformedRatio = 1.5 }, transport)).Message, StringComparison.Ordinal);
        Assert.Contains("EcgSamplingRate", Assert.Throws<ArgumentException>(() => new DeviceSimulation(new DeviceSimulationOptions { EcgSamplingRate = 360 }, transport)).Message, StringComparison.Ordinal);
        Assert.Contains("DeviceCount", Assert.Throws<ArgumentException>(() => new DeviceSimulation(new DeviceSimulationOptions { DeviceCount = 0 }, transport)).Message, StringComparison.Ordinal);
    }

    private static async Task Until(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            await Task.Delay(10);
        }
    }
}
