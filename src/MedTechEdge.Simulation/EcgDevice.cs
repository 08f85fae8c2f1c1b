using System.Globalization;
using System.Text.Json;

namespace MedTechEdge.Simulation;

/// <summary>
/// A continuous ECG lead sent in windows: each message carries the next <c>Interval × EcgSamplingRate</c> samples of
/// one unbroken stream, with the window's start as "measurementTime" (ISO) and "startTimeMs" (Unix ms, which the
/// device mapping adds each sample's "offsetMs" to), and a "stripId" per minute of signal, the correlation id that
/// groups a minute into one SampledData Observation. Example (250 Hz, shortened):
/// {"deviceId":"sim-05","patientId":"patient-05","measurementTime":"2026-11-21T17:00:00.000Z","startTimeMs":1795280400000,
///  "samplingRate":250,"stripId":"sim-05-202611211700","ecg":[{"offsetMs":0,"mv":0.051},{"offsetMs":4,"mv":0.062}]}.
/// </summary>
internal sealed class EcgDevice : SimulatedDevice
{
    private readonly PatientVitals _vitals;
    private readonly EcgWaveform _waveform;
    private readonly int _samplingRate;
    private readonly int _periodMs;
    private readonly int _samplesPerMessage;
    private DateTimeOffset? _streamEnd;

    public EcgDevice(string deviceId, string patientId, TimeSpan clockSkew, DeviceSimulationOptions options, Random values, Random faults)
        : base(deviceId, patientId, clockSkew, options.MalformedRatio, values, faults)
    {
        _vitals = new PatientVitals(values);
        _waveform = new EcgWaveform(values);
        _samplingRate = options.EcgSamplingRate;
        _periodMs = 1000 / options.EcgSamplingRate;
        _samplesPerMessage = Math.Max(1, (int)Math.Round(options.Interval.TotalMilliseconds / _periodMs));
    }

    public override DeviceKind Kind => DeviceKind.Ecg;

    /// <summary>Signal one message carries.</summary>
    public TimeSpan Window => TimeSpan.FromMilliseconds(_samplesPerMessage * _periodMs);

    public override bool HasNothingToSend(DateTimeOffset now) =>
        // After a burst the stream runs ahead of the clock; regular ticks wait until the clock catches up, so the
        // stream never overlaps itself and its long-run rate stays real time.
        _streamEnd is { } end && end > now + ClockSkew + Window;

    protected override DateTimeOffset NextMeasurementTime(DateTimeOffset deviceNow)
    {
        // The next window starts where the last one ended. A stream more than two windows behind (missed ticks, a lost
        // connection) restarts at the clock: a gap in the signal, as after a lead-off.
        DateTimeOffset start = _streamEnd is { } end && end >= deviceNow - (2 * Window) ? end : deviceNow;
        _streamEnd = start + Window;
        return start;
    }

    protected override void WriteValues(Utf8JsonWriter json, DateTimeOffset measurementTime, MessageForm form)
    {
        if (form == MessageForm.WrongTimestampType)
        {
            json.WriteString("startTimeMs", FormatTime(measurementTime));
        }
        else
        {
            json.WriteNumber("startTimeMs", measurementTime.ToUnixTimeMilliseconds());
        }

        json.WriteNumber("samplingRate", _samplingRate);
        json.WriteString("stripId", DeviceId + "-" + measurementTime.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture));
        // The rate follows the patient's heart-rate walk, one step per window.
        double heartRate = _vitals.NextHeartRate();
        double dt = _periodMs / 1000.0;
        json.WriteStartArray("ecg");
        for (int i = 0; i < _samplesPerMessage; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("offsetMs", i * _periodMs);
            WriteNumber(json, "mv", _waveform.Next(dt, heartRate), 3, "mV", form);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
