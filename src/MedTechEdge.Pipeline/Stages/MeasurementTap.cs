using System.Globalization;
using MedTechEdge.Mapping.Normalization;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>
/// The latest normalized measurements per device, kept in memory for the dashboard's live charts. The Map stage
/// records every measurement that became output; the dashboard copies a snapshot once a second or two.
/// </summary>
/// <remarks>
/// Design: a ring of <see cref="SamplesPerSeries"/> samples per device and measurement type, for at most
/// <see cref="MaxDevices"/> devices (the one seen longest ago makes room for a new one) and
/// <see cref="MaxSeriesPerDevice"/> types per device. Recording sits on the Map stage's per-message path, so it does
/// no LINQ and allocates nothing once a device's series exist: the values are parsed into doubles in place and the
/// type and patient strings are the measurement's own. A lock guards the rings: the Map stage is the only writer and
/// the dashboard reads rarely, so it is almost never contended. Nothing here is durable: a restart starts empty.
/// </remarks>
public sealed class MeasurementTap
{
    /// <summary>Numeric values kept per sample: two covers every vital sign (blood pressure: systolic, diastolic).</summary>
    public const int MaxValuesPerSample = 2;

    /// <summary>Measurement types kept per device; more are counted as seen but not charted.</summary>
    public const int MaxSeriesPerDevice = 8;

    private readonly object _gate = new();
    private readonly Dictionary<string, DeviceEntry> _devices = new(StringComparer.Ordinal);

    /// <summary>Creates an empty tap.</summary>
    /// <param name="maxDevices">Devices kept; the one seen longest ago is dropped for a new one.</param>
    /// <param name="samplesPerSeries">Samples kept per device and type (one a second is a minute of chart).</param>
    public MeasurementTap(int maxDevices = 64, int samplesPerSeries = 60)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDevices, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerSeries, 1);
        MaxDevices = maxDevices;
        SamplesPerSeries = samplesPerSeries;
    }

    /// <summary>Devices kept.</summary>
    public int MaxDevices { get; }

    /// <summary>Samples kept per device and type.</summary>
    public int SamplesPerSeries { get; }

    /// <summary>
    /// Records one measurement: the device is seen now (its message's ingestion time when known), and the first
    /// <see cref="MaxValuesPerSample"/> numeric values join the device's series for the type. A measurement with no
    /// numeric value (an ECG window's sample string) marks the device seen and is not charted. A sample not newer
    /// than the series' latest is skipped: the Map stage maps a batch again after an identity lookup, and a chart
    /// wants its points in time order.
    /// </summary>
    public void Record(Measurement measurement, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        List<MeasurementProperty> properties = measurement.Properties;
        int count = 0;
        double first = 0;
        double second = 0;
        for (int i = 0; i < properties.Count && count < MaxValuesPerSample; i++)
        {
            if (TryParse(properties[i].Value, out double value))
            {
                if (count++ == 0)
                {
                    first = value;
                }
                else
                {
                    second = value;
                }
            }
        }

        DateTime seen = measurement.IngestionTimeUtc ?? nowUtc;
        lock (_gate)
        {
            if (!_devices.TryGetValue(measurement.DeviceId, out DeviceEntry? device))
            {
                device = AddDevice(measurement.DeviceId);
            }

            if (seen > device.LastSeenUtc)
            {
                device.LastSeenUtc = seen;
            }

            device.PatientId = measurement.PatientId ?? device.PatientId;
            if (count == 0)
            {
                return;
            }

            SeriesEntry? series = device.Find(measurement.Type);
            if (series is null)
            {
                if (device.Series.Count == MaxSeriesPerDevice)
                {
                    return;
                }

                series = new SeriesEntry(measurement.Type, ValueNames(properties, count), SamplesPerSeries);
                device.Series.Add(series);
            }

            series.Add(new MeasurementSample(measurement.OccurrenceTimeUtc, first, second));
        }
    }

    /// <summary>Copies every device, most recently seen first, into <paramref name="output"/>.</summary>
    public void Snapshot(List<MeasurementTapDevice> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        lock (_gate)
        {
            foreach (DeviceEntry device in _devices.Values)
            {
                var series = new MeasurementTapSeries[device.Series.Count];
                for (int i = 0; i < series.Length; i++)
                {
                    SeriesEntry entry = device.Series[i];
                    series[i] = new MeasurementTapSeries(entry.Type, entry.ValueNames, entry.CopySamples());
                }

                output.Add(new MeasurementTapDevice(device.DeviceId, device.PatientId, device.LastSeenUtc, series));
            }
        }

        output.Sort(static (a, b) => b.LastSeenUtc.CompareTo(a.LastSeenUtc));
    }

    private DeviceEntry AddDevice(string deviceId)
    {
        if (_devices.Count >= MaxDevices)
        {
            // Only when a new device arrives with the tap full: a linear scan over at most MaxDevices entries.
            DeviceEntry? oldest = null;
            foreach (DeviceEntry candidate in _devices.Values)
            {
                if (oldest is null || candidate.LastSeenUtc < oldest.LastSeenUtc)
                {
                    oldest = candidate;
                }
            }

            _devices.Remove(oldest!.DeviceId);
        }

        var device = new DeviceEntry(deviceId);
        _devices.Add(deviceId, device);
        return device;
    }

    private static string[] ValueNames(List<MeasurementProperty> properties, int count)
    {
        // Once per device and type: the names of the values Record keeps, in the same order.
        var names = new string[count];
        int n = 0;
        for (int i = 0; i < properties.Count && n < count; i++)
        {
            if (TryParse(properties[i].Value, out _))
            {
                names[n++] = properties[i].Name;
            }
        }

        return names;
    }

    // Values are strings in the normalized schema (medtech-semantics §2.6), always written with the invariant culture.
    private static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private sealed class DeviceEntry(string deviceId)
    {
        public string DeviceId { get; } = deviceId;

        public string? PatientId { get; set; }

        public DateTime LastSeenUtc { get; set; }

        public List<SeriesEntry> Series { get; } = new(2);

        public SeriesEntry? Find(string type)
        {
            for (int i = 0; i < Series.Count; i++)
            {
                if (string.Equals(Series[i].Type, type, StringComparison.Ordinal))
                {
                    return Series[i];
                }
            }

            return null;
        }
    }

    private sealed class SeriesEntry(string type, string[] valueNames, int capacity)
    {
        private readonly MeasurementSample[] _ring = new MeasurementSample[capacity];
        private int _next;
        private int _count;

        public string Type { get; } = type;

        public string[] ValueNames { get; } = valueNames;

        public void Add(MeasurementSample sample)
        {
            if (_count > 0 && sample.TimeUtc <= _ring[(_next + _ring.Length - 1) % _ring.Length].TimeUtc)
            {
                return;
            }

            _ring[_next] = sample;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }

        /// <summary>The samples, oldest first.</summary>
        public MeasurementSample[] CopySamples()
        {
            var copy = new MeasurementSample[_count];
            int start = (_next - _count + _ring.Length) % _ring.Length;
            for (int i = 0; i < _count; i++)
            {
                copy[i] = _ring[(start + i) % _ring.Length];
            }

            return copy;
        }
    }
}

/// <summary>One charted point: the measurement's occurrence time and up to two values (the rest are zero).</summary>
public readonly record struct MeasurementSample(DateTime TimeUtc, double First, double Second);

/// <summary>A copy of one device's recent measurements.</summary>
/// <param name="DeviceId">The device's business identifier.</param>
/// <param name="PatientId">The patient of its latest measurement that named one; null if none did.</param>
/// <param name="LastSeenUtc">When the module last received one of its measurements.</param>
/// <param name="Series">One entry per measurement type with numeric values.</param>
public sealed record MeasurementTapDevice(string DeviceId, string? PatientId, DateTime LastSeenUtc, IReadOnlyList<MeasurementTapSeries> Series);

/// <summary>A copy of one device's samples of one measurement type, oldest first.</summary>
/// <param name="Type">The device mapping's <c>typeName</c>.</param>
/// <param name="ValueNames">The names of the values in <see cref="MeasurementSample.First"/> and <see cref="MeasurementSample.Second"/>.</param>
/// <param name="Samples">Oldest first.</param>
public sealed record MeasurementTapSeries(string Type, IReadOnlyList<string> ValueNames, IReadOnlyList<MeasurementSample> Samples);
