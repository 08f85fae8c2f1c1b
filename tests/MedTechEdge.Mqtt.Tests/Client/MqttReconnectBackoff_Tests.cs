using MedTechEdge.Mqtt.Client;

namespace MedTechEdge.Mqtt.Tests.Client;

/// <summary>Exponential backoff with full jitter, with the randomness pinned.</summary>
public sealed class MqttReconnectBackoff_Tests
{
    private static readonly TimeSpan s_first = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_max = TimeSpan.FromMilliseconds(800);

    [Fact]
    public void Ceilings_Double_From_The_First_Delay_Up_To_The_Maximum()
    {
        var backoff = new MqttReconnectBackoff(s_first, s_max, new FixedRandom(0.5));

        double[] ceilings = [.. Enumerable.Range(0, 6).Select(n => backoff.Ceiling(n).TotalMilliseconds)];

        Assert.Equal([100, 200, 400, 800, 800, 800], ceilings);
        Assert.Equal(s_max, backoff.Ceiling(int.MaxValue));
    }

    [Fact]
    public void Delays_Are_The_Random_Fraction_Of_Each_Ceiling()
    {
        var backoff = new MqttReconnectBackoff(s_first, s_max, new FixedRandom(0.5));

        double[] delays = [.. Enumerable.Range(0, 5).Select(_ => backoff.Next().TotalMilliseconds)];

        Assert.Equal([50, 100, 200, 400, 400], delays);
        Assert.Equal(5, backoff.Attempt);
    }

    [Fact]
    public void Full_Jitter_Stays_Between_Zero_And_The_Ceiling()
    {
        var backoff = new MqttReconnectBackoff(s_first, s_max, new Random(7));

        for (int attempt = 0; attempt < 50; attempt++)
        {
            TimeSpan delay = backoff.Next();
            Assert.InRange(delay, TimeSpan.Zero, backoff.Ceiling(attempt));
        }
    }

    [Fact]
    public void Reset_Starts_Over_From_The_First_Ceiling()
    {
        var backoff = new MqttReconnectBackoff(s_first, s_max, new FixedRandom(1.0));
        for (int i = 0; i < 4; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.Equal(0, backoff.Attempt);
        Assert.Equal(s_first, backoff.Next());
    }

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
