namespace MedTechEdge.Simulation;

/// <summary>
/// A synthetic lead II ECG: each beat is a sum of five Gaussian bumps (P, Q, R, S, T) over the beat's phase, after
/// McSharry et al., "A dynamical model for generating synthetic electrocardiogram signals" (IEEE TBME 2003), without
/// their ODE: the phase advances with the current heart rate, so the rhythm follows the patient's heart-rate walk.
/// A slow baseline wander and a little noise keep it from looking drawn. Amplitudes are in millivolts.
/// </summary>
internal sealed class EcgWaveform
{
    // (centre as a fraction of the beat, width as a fraction of the beat, amplitude in mV) for P, Q, R, S, T.
    private static readonly (double Centre, double Width, double Amplitude)[] s_waves =
    [
        (0.20, 0.025, 0.15),
        (0.335, 0.010, -0.12),
        (0.35, 0.010, 1.10),
        (0.365, 0.010, -0.25),
        (0.60, 0.040, 0.30),
    ];

    private readonly Random _random;
    private double _phase;
    private double _wanderPhase;

    public EcgWaveform(Random random)
    {
        _random = random;
        _phase = random.NextDouble();
        _wanderPhase = random.NextDouble() * 2 * Math.PI;
    }

    /// <summary>The next sample, <paramref name="dtSeconds"/> after the previous one, at <paramref name="heartRate"/> beats per minute.</summary>
    public double Next(double dtSeconds, double heartRate)
    {
        _phase += dtSeconds * heartRate / 60;
        _phase -= Math.Floor(_phase);
        // Respiration-like wander at about 0.25 Hz.
        _wanderPhase += dtSeconds * 2 * Math.PI * 0.25;
        double value = 0.05 * Math.Sin(_wanderPhase);
        foreach ((double centre, double width, double amplitude) in s_waves)
        {
            double d = _phase - centre;
            value += amplitude * Math.Exp(-(d * d) / (2 * width * width));
        }

        return value + (((_random.NextDouble() * 2) - 1) * 0.01);
    }
}
