namespace MedTechEdge.Simulation;

/// <summary>
/// One vital sign as a bounded, mean-reverting random walk (a discrete Ornstein-Uhlenbeck process with the step
/// clamped): each step pulls a fraction of the way back to the patient's baseline, adds uniform noise, and moves at
/// most <see cref="MaxStep"/>; the value never leaves [<see cref="Min"/>, <see cref="Max"/>]. The pull keeps a long run
/// near the baseline instead of drifting to a bound, and the step cap keeps traces smooth.
/// </summary>
internal struct VitalSign
{
    // A tenth of the way back per step: a disturbance fades over about ten readings.
    private const double Reversion = 0.1;

    public VitalSign(double baseline, double noise, double maxStep, double min, double max)
    {
        Baseline = baseline;
        Value = baseline;
        Noise = noise;
        MaxStep = maxStep;
        Min = min;
        Max = max;
    }

    public double Baseline { get; }

    public double Value { get; private set; }

    public double Noise { get; }

    public double MaxStep { get; }

    public double Min { get; }

    public double Max { get; }

    /// <summary>Advances one step; <paramref name="ceiling"/> lowers the upper bound for this step (diastolic under systolic).</summary>
    public double Next(Random random, double ceiling = double.MaxValue)
    {
        double step = (Reversion * (Baseline - Value)) + (((random.NextDouble() * 2) - 1) * Noise);
        Value = Math.Clamp(Value + Math.Clamp(step, -MaxStep, MaxStep), Min, Math.Max(Min, Math.Min(Max, ceiling)));
        return Value;
    }
}
