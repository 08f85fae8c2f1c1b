using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace MedTechEdge.Simulation;

/// <summary>
/// One device's vital signs as a bounded random walk: each reading moves a small step from the previous one and is
/// clamped to a plausible range, so series look like a monitor trace rather than noise.
/// </summary>
internal sealed class SimulatedDevice
{
    private readonly Random _random;
    private double _heartRate;
    private double _spo2;
    private double _systolic;
    private double _diastolic;
    private double _temperature;

    public SimulatedDevice(string deviceId, string patientId, DeviceKind kind, Random random)
    {
        DeviceId = deviceId;
        PatientId = patientId;
        Kind = kind;
        _random = random;
        _heartRate = 65 + (random.NextDouble() * 20);
        _spo2 = 96 + (random.NextDouble() * 3);
        _systolic = 112 + (random.NextDouble() * 16);
        _diastolic = 70 + (random.NextDouble() * 12);
        _temperature = 36.5 + (random.NextDouble() * 0.6);
    }

    public string DeviceId { get; }

    public string PatientId { get; }

    public DeviceKind Kind { get; }

    /// <summary>Advances the walk and writes one JSON reading.</summary>
    public void WriteReading(IBufferWriter<byte> output, DateTimeOffset measurementTime)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("deviceId", DeviceId);
        json.WriteString("patientId", PatientId);
        json.WriteString("measurementTime", measurementTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        switch (Kind)
        {
            case DeviceKind.HeartRate:
                _heartRate = Step(_heartRate, 2.0, 45, 160);
                json.WriteNumber("heartRate", (int)Math.Round(_heartRate));
                break;
            case DeviceKind.SpO2:
                _spo2 = Step(_spo2, 0.6, 88, 100);
                json.WriteNumber("spo2", (int)Math.Round(_spo2));
                break;
            case DeviceKind.BloodPressure:
                _systolic = Step(_systolic, 3.0, 90, 180);
                // Diastolic stays at least 25 mmHg below systolic.
                _diastolic = Step(_diastolic, 2.0, 50, Math.Min(110, _systolic - 25));
                json.WriteNumber("systolic", (int)Math.Round(_systolic));
                json.WriteNumber("diastolic", (int)Math.Round(_diastolic));
                break;
            case DeviceKind.Temperature:
                _temperature = Step(_temperature, 0.05, 35.5, 40.5);
                json.WriteNumber("temperature", Math.Round(_temperature, 1));
                break;
        }

        json.WriteEndObject();
    }

    private double Step(double value, double maxStep, double min, double max) =>
        Math.Clamp(value + (((_random.NextDouble() * 2) - 1) * maxStep), min, max);
}
