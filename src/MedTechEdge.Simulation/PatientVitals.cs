namespace MedTechEdge.Simulation;

/// <summary>
/// One patient's vital signs. Baselines are drawn per patient inside normal adult resting ranges; the walks are bounded
/// by physiological limits (wide enough for a sick patient, never impossible values).
/// </summary>
internal sealed class PatientVitals
{
    /// <summary>Systolic minus diastolic stays at least this (a pulse pressure below 20 mmHg is not plausible at rest).</summary>
    public const double MinPulsePressure = 20;

    private readonly Random _random;
    private VitalSign _heartRate;
    private VitalSign _spo2;
    private VitalSign _systolic;
    private VitalSign _diastolic;
    private VitalSign _respiratoryRate;
    private VitalSign _temperature;

    public PatientVitals(Random random)
    {
        _random = random;
        _heartRate = new VitalSign(Between(60, 90), noise: 1.5, maxStep: 2, min: 40, max: 180);
        _spo2 = new VitalSign(Between(95, 99), noise: 0.4, maxStep: 1, min: 85, max: 100);
        _systolic = new VitalSign(Between(105, 135), noise: 2, maxStep: 3, min: 80, max: 200);
        _diastolic = new VitalSign(Between(65, 85), noise: 1.5, maxStep: 2, min: 40, max: 120);
        _respiratoryRate = new VitalSign(Between(12, 18), noise: 0.6, maxStep: 1, min: 6, max: 40);
        _temperature = new VitalSign(Between(36.4, 37.2), noise: 0.03, maxStep: 0.05, min: 35, max: 41);
    }

    public double NextHeartRate() => _heartRate.Next(_random);

    public double NextSpO2() => _spo2.Next(_random);

    /// <summary>Systolic and diastolic move together so the pulse pressure stays plausible.</summary>
    public (double Systolic, double Diastolic) NextBloodPressure()
    {
        double systolic = _systolic.Next(_random);
        return (systolic, _diastolic.Next(_random, ceiling: systolic - MinPulsePressure));
    }

    public double NextRespiratoryRate() => _respiratoryRate.Next(_random);

    public double NextTemperature() => _temperature.Next(_random);

    private double Between(double low, double high) => low + (_random.NextDouble() * (high - low));
}
