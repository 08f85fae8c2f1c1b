using System.Globalization;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping.Grouping;

/// <summary>
/// Puts measurements into Observation groups (medtech-semantics §4). The period interval applies only
/// when the template holds SampledData; any other value type gives one point-in-time group per
/// instant, as the managed service does (§6.2 REC).
/// </summary>
internal static class ObservationGrouper
{
    /// <summary>
    /// Whether <paramref name="measurement"/> can join a group and become FHIR: a correlation id where
    /// the template groups by it, and every value the template uses representable in its value type.
    /// Checked before a message's measurements join any group, so a message maps all or nothing.
    /// </summary>
    public static MappingError? Check(CodeValueFhirTemplate template, Measurement measurement)
    {
        if (template.UsesSampledData && template.PeriodInterval == PeriodInterval.CorrelationId && string.IsNullOrWhiteSpace(measurement.CorrelationId))
        {
            return new MappingError(MappingErrorKind.CorrelationIdNotDefined, measurement.Type, $"CorrelationIdNotDefined: type '{measurement.Type}' groups by correlation id, but the measurement has none.");
        }

        foreach (MeasurementProperty property in measurement.Properties)
        {
            string? error = CheckValue(template.Value, property) ?? CheckComponents(template, property);
            if (error is not null)
            {
                return new MappingError(MappingErrorKind.InvalidValue, measurement.Type, error);
            }
        }

        return null;
    }

    private static string? CheckComponents(CodeValueFhirTemplate template, MeasurementProperty property)
    {
        foreach (FhirComponentTemplate component in template.Components)
        {
            string? error = CheckValue(component.Value, property);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static string? CheckValue(FhirValueTemplate? value, MeasurementProperty property)
    {
        if (value is null || !string.Equals(value.ValueName, property.Name, StringComparison.Ordinal))
        {
            return null;
        }

        return value.ValueType switch
        {
            // Invariant decimal: thousands separators and spaces allowed, exponents not (§7.2).
            FhirValueType.Quantity when !decimal.TryParse(property.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out _) =>
                $"Error encountered processing value: {property.Value}. Quantity value '{value.ValueName}' is not a decimal.",
            FhirValueType.SampledData when !Transform.SampledDataCodec.IsDecimal(property.Value) =>
                $"Error encountered processing value: {property.Value}. SampledData value '{value.ValueName}' is not a decimal.",
            _ => null,
        };
    }

    /// <summary>Adds <paramref name="measurement"/> to its group in <paramref name="groups"/>; returns an error or null.</summary>
    public static string? Add(CodeValueFhirTemplate template, Measurement measurement, Dictionary<ObservationGroupKey, ObservationGroup> groups)
    {
        string? error = Bucket(template, measurement, out PeriodInterval period, out DateTime start, out DateTime end, out string? bucket);
        if (error is not null)
        {
            return error;
        }

        // DeviceId, Type, PatientId, EncounterId, CorrelationId (ordinal), plus the period bucket; field by field. A point
        // in time is keyed by its second, and its group makes the segment text only if asked for it.
        long second = bucket is null ? start.Ticks / TimeSpan.TicksPerSecond : 0;
        var key = new ObservationGroupKey(measurement.DeviceId, measurement.Type, measurement.PatientId, measurement.EncounterId, measurement.CorrelationId, bucket, second);
        if (!groups.TryGetValue(key, out ObservationGroup? group))
        {
            group = new ObservationGroup(measurement, start, end, bucket);
            groups.Add(key, group);
        }

        group.Add(measurement, widen: Widens(period));
        return null;
    }

    /// <summary>
    /// The group of <paramref name="measurement"/> alone, as <see cref="Add"/> would start it, for a SampledData template
    /// (a point-in-time one needs no group: <see cref="Transform.PointInTimeValues"/>); returns an error or null.
    /// </summary>
    public static string? Single(CodeValueFhirTemplate template, Measurement measurement, out ObservationGroup? group)
    {
        group = null;
        string? error = Bucket(template, measurement, out _, out DateTime start, out DateTime end, out string? bucket);
        if (error is not null)
        {
            return error;
        }

        // The first measurement of a group never widens it: start and end are its own time or its period.
        group = new ObservationGroup(measurement, start, end, bucket);
        group.Add(measurement, widen: false);
        return null;
    }

    private static bool Widens(PeriodInterval period) => period is PeriodInterval.CorrelationId or PeriodInterval.Single;

    // The bucket's text, or null for a point in time (Single), whose segment follows from its period.
    private static string? Bucket(CodeValueFhirTemplate template, Measurement measurement, out PeriodInterval period, out DateTime start, out DateTime end, out string? bucket)
    {
        period = template.UsesSampledData ? template.PeriodInterval : PeriodInterval.Single;
        DateTime time = DateTime.SpecifyKind(measurement.OccurrenceTimeUtc, DateTimeKind.Utc);
        switch (period)
        {
            case PeriodInterval.Hourly:
                start = new DateTime(time.Year, time.Month, time.Day, time.Hour, 0, 0, DateTimeKind.Utc);
                end = start.AddHours(1).AddTicks(-1);
                bucket = Segment(start, end);
                return null;
            case PeriodInterval.Daily:
                start = time.Date;
                end = start.AddDays(1).AddTicks(-1);
                bucket = Segment(start, end);
                return null;
            case PeriodInterval.CorrelationId:
                start = end = time;
                if (string.IsNullOrWhiteSpace(measurement.CorrelationId))
                {
                    bucket = string.Empty;
                    return $"CorrelationIdNotDefined: type '{measurement.Type}' groups by correlation id, but the measurement has none.";
                }

                bucket = measurement.CorrelationId;
                return null;
            default:
                // Single: the instant itself; the id has second precision (§6.2).
                start = end = time;
                bucket = null;
                return null;
        }
    }

    /// <summary>How long a period's id segment is: <c>yyyyMMddHHmmssZ.yyyyMMddHHmmssZ</c>.</summary>
    public const int SegmentLength = 31;

    /// <summary><c>yyyyMMddHHmmssZ.yyyyMMddHHmmssZ</c>, written two digits at a time (this runs for every Observation).</summary>
    public static string Segment(DateTime start, DateTime end) =>
        string.Create(SegmentLength, (start, end), static (span, range) =>
        {
            Span<byte> utf8 = stackalloc byte[SegmentLength];
            WriteSegmentUtf8(utf8, range.start, range.end);
            for (int i = 0; i < utf8.Length; i++)
            {
                span[i] = (char)utf8[i];
            }
        });

    /// <summary><see cref="Segment"/> into <paramref name="target"/> as UTF-8 (it is all ASCII), two digits at a time.</summary>
    public static void WriteSegmentUtf8(Span<byte> target, DateTime start, DateTime end)
    {
        WriteCompactUtf8(target, start);
        target[15] = (byte)'.';
        if (end == start)
        {
            // A point in time: the second half repeats the first.
            target[..15].CopyTo(target[16..]);
        }
        else
        {
            WriteCompactUtf8(target[16..], end);
        }
    }

    private static void WriteCompactUtf8(Span<byte> span, DateTime time)
    {
        time.Deconstruct(out int year, out int month, out int day);
        WritePair(span, year / 100);
        WritePair(span[2..], year % 100);
        WritePair(span[4..], month);
        WritePair(span[6..], day);
        WritePair(span[8..], time.Hour);
        WritePair(span[10..], time.Minute);
        WritePair(span[12..], time.Second);
        span[14] = (byte)'Z';
    }

    private static void WritePair(Span<byte> span, int value)
    {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8
            .Slice(value * 2, 2).CopyTo(span);
    }
}
