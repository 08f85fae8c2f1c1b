using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace MedTechEdge.Simulation;

/// <summary>
/// One simulated device: identity, a fixed clock error, and the JSON it writes. Every message has the MedTech sample
/// shape {"deviceId", "patientId", "measurementTime", values...}; the kind decides the values. Not thread-safe: the
/// simulation drives each device from one loop.
/// </summary>
internal abstract class SimulatedDevice
{
    private readonly Random _faults;
    private readonly double _malformedRatio;

    protected SimulatedDevice(string deviceId, string patientId, TimeSpan clockSkew, double malformedRatio, Random values, Random faults)
    {
        DeviceId = deviceId;
        PatientId = patientId;
        ClockSkew = clockSkew;
        _malformedRatio = malformedRatio;
        Random = values;
        _faults = faults;
    }

    public string DeviceId { get; }

    public string PatientId { get; }

    /// <summary>Added to the true time in every measurement time this device writes.</summary>
    public TimeSpan ClockSkew { get; }

    public abstract DeviceKind Kind { get; }

    /// <summary>Drives the values; a separate generator picks malformed messages, so the ratio does not change the values.</summary>
    protected Random Random { get; }

    public static SimulatedDevice Create(DeviceKind kind, string deviceId, string patientId, TimeSpan clockSkew, DeviceSimulationOptions options, Random values, Random faults) =>
        kind == DeviceKind.Ecg
            ? new EcgDevice(deviceId, patientId, clockSkew, options, values, faults)
            : new VitalSignsDevice(kind, deviceId, patientId, clockSkew, options.MalformedRatio, values, faults);

    /// <summary>True when a regular tick at <paramref name="now"/> has nothing new (an ECG stream ahead of the clock after a burst).</summary>
    public virtual bool HasNothingToSend(DateTimeOffset now) => false;

    /// <summary>Advances the device and writes one message; returns the form it took.</summary>
    public MessageForm WriteMessage(IBufferWriter<byte> output, DateTimeOffset now)
    {
        MessageForm form = PickForm();
        DateTimeOffset time = NextMeasurementTime(TruncateToMilliseconds(now + ClockSkew));
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        if (form != MessageForm.MissingDeviceId)
        {
            json.WriteString("deviceId", DeviceId);
        }

        json.WriteString("patientId", PatientId);
        if (form == MessageForm.WrongTimestampType)
        {
            json.WriteNumber("measurementTime", time.ToUnixTimeMilliseconds());
        }
        else
        {
            json.WriteString("measurementTime", FormatTime(time));
        }

        WriteValues(json, time, form);
        if (form != MessageForm.InvalidJson)
        {
            // InvalidJson stops here: a message that lost its end in transit.
            json.WriteEndObject();
        }

        json.Flush();
        return form;
    }

    /// <summary>ISO 8601 UTC with milliseconds, as the bundled samples and MedTech's examples write it.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The time of the message about to be written, from the device's own (skewed) clock.</summary>
    protected abstract DateTimeOffset NextMeasurementTime(DateTimeOffset deviceNow);

    protected abstract void WriteValues(Utf8JsonWriter json, DateTimeOffset measurementTime, MessageForm form);

    /// <summary>A number, or for <see cref="MessageForm.WrongValueType"/> the same number as text with its unit.</summary>
    protected static void WriteNumber(Utf8JsonWriter json, string name, double value, int decimals, string unit, MessageForm form)
    {
        double rounded = Math.Round(value, decimals);
        if (form == MessageForm.WrongValueType)
        {
            json.WriteString(name, rounded.ToString(CultureInfo.InvariantCulture) + " " + unit);
        }
        else
        {
            json.WriteNumber(name, rounded);
        }
    }

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    private MessageForm PickForm()
    {
        // One draw decides, a second picks the fault: the well-formed share is exact in expectation for any ratio.
        if (_malformedRatio <= 0 || _faults.NextDouble() >= _malformedRatio)
        {
            return MessageForm.WellFormed;
        }

        return (MessageForm)(1 + _faults.Next(4));
    }
}

/// <summary>A bedside monitor or a home device: one reading of the patient's walk per message.</summary>
internal sealed class VitalSignsDevice : SimulatedDevice
{
    private readonly PatientVitals _vitals;
    private DateTimeOffset _last = DateTimeOffset.MinValue;

    public VitalSignsDevice(DeviceKind kind, string deviceId, string patientId, TimeSpan clockSkew, double malformedRatio, Random values, Random faults)
        : base(deviceId, patientId, clockSkew, malformedRatio, values, faults)
    {
        Kind = kind;
        _vitals = new PatientVitals(values);
    }

    public override DeviceKind Kind { get; }

    protected override DateTimeOffset NextMeasurementTime(DateTimeOffset deviceNow)
    {
        // Back-to-back messages of a burst read the clock within the same millisecond; a device stamps each reading
        // apart, so each becomes its own Observation instead of replacing the previous one.
        _last = deviceNow > _last ? deviceNow : _last.AddMilliseconds(1);
        return _last;
    }

    protected override void WriteValues(Utf8JsonWriter json, DateTimeOffset measurementTime, MessageForm form)
    {
        switch (Kind)
        {
            case DeviceKind.BedsideMonitor:
                WriteNumber(json, "heartRate", _vitals.NextHeartRate(), 0, "/min", form);
                WriteNumber(json, "spo2", _vitals.NextSpO2(), 0, "%", form);
                WriteBloodPressure(json, form);
                WriteNumber(json, "respiratoryRate", _vitals.NextRespiratoryRate(), 0, "/min", form);
                WriteNumber(json, "temperature", _vitals.NextTemperature(), 1, "Cel", form);
                break;
            case DeviceKind.PulseOximeter:
                WriteNumber(json, "spo2", _vitals.NextSpO2(), 0, "%", form);
                WriteNumber(json, "pulseRate", _vitals.NextHeartRate(), 0, "/min", form);
                break;
            case DeviceKind.BloodPressureCuff:
                WriteBloodPressure(json, form);
                WriteNumber(json, "heartRate", _vitals.NextHeartRate(), 0, "/min", form);
                break;
            case DeviceKind.Thermometer:
                WriteNumber(json, "temperature", _vitals.NextTemperature(), 1, "Cel", form);
                break;
            default:
                throw new InvalidOperationException("Not a vital-signs kind: " + Kind);
        }
    }

    private void WriteBloodPressure(Utf8JsonWriter json, MessageForm form)
    {
        (double systolic, double diastolic) = _vitals.NextBloodPressure();
        WriteNumber(json, "systolic", systolic, 0, "mm[Hg]", form);
        WriteNumber(json, "diastolic", diastolic, 0, "mm[Hg]", form);
    }
}
