using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MedTechEdge.TestPeers;

/// <summary>
/// The tests' one fake clock: <see cref="FakeTimeProvider"/>, plus a record of every time a timer on it is armed
/// (created, or changed to a new due time). Code under test arms its timer (a delay on the clock, a
/// keep-alive timer) on its own thread; an <see cref="FakeTimeProvider.Advance(TimeSpan)"/> that comes before that is
/// lost on the timer, and the test would hang or pass for the wrong reason. <see cref="WaitForTimerAsync"/> lets a
/// test advance only once the code is waiting on the clock.
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    private readonly Lock _lock = new();
    private readonly List<(TimeSpan DueTime, bool Claimed)> _armed = [];

    // Completed (and replaced) at every arming, so a waiter wakes when there is something new to claim.
    private TaskCompletionSource _armedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A clock at 2026-12-01 08:00 UTC.</summary>
    public TestClock()
        : this(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>A clock at <paramref name="start"/>.</summary>
    public TestClock(DateTimeOffset start)
        : base(start)
    {
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new WatchedTimer(this, base.CreateTimer(callback, state, dueTime, period));
        Armed(dueTime);
        return timer;
    }

    /// <summary>
    /// Waits, in real time and with a deadline, until a timer is armed with <paramref name="dueTime"/> (created or
    /// changed) and no earlier call has claimed that arming, and claims it: two waits for one due time need two armings.
    /// </summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime, TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? s_timeout;
        var waited = Stopwatch.StartNew();
        while (!TryClaim(dueTime, out Task nextArming))
        {
            TimeSpan left = limit - waited.Elapsed;
            bool armed = left > TimeSpan.Zero;
            if (armed)
            {
                try
                {
                    await nextArming.WaitAsync(left).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    armed = false;
                }
            }

            Assert.True(armed, $"No timer was armed for {dueTime.TotalSeconds:0.###} s on the test clock; armed so far: {Describe()}.");
        }
    }

    // Recorded after the base timer has it: once a test sees it, an Advance reaches it.
    private void Armed(TimeSpan dueTime)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            _armed.Add((dueTime, false));
            signal = _armedSignal;
            _armedSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    /// <summary>Claims an unclaimed arming for <paramref name="dueTime"/>; if none, <paramref name="nextArming"/> completes at the next one.</summary>
    private bool TryClaim(TimeSpan dueTime, out Task nextArming)
    {
        lock (_lock)
        {
            nextArming = _armedSignal.Task;
            for (int i = 0; i < _armed.Count; i++)
            {
                // Within a millisecond: a delay on the clock arms its timer with the delay cut to whole milliseconds.
                if (!_armed[i].Claimed && (_armed[i].DueTime - dueTime).Duration() < TimeSpan.FromMilliseconds(1))
                {
                    _armed[i] = (_armed[i].DueTime, true);
                    return true;
                }
            }

            return false;
        }
    }

    private string Describe()
    {
        lock (_lock)
        {
            return string.Join(", ", _armed.Select(c => $"{c.DueTime.TotalSeconds:0.######} s{(c.Claimed ? " (claimed)" : string.Empty)}"));
        }
    }

    /// <summary>The base's timer, with every change of its due time recorded.</summary>
    private sealed class WatchedTimer(TestClock clock, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            bool changed = inner.Change(dueTime, period);
            clock.Armed(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
