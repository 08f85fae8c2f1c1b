using System.Globalization;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping.Grouping;

/// <summary>
/// Puts measurements into Observation groups (medtech-compat §6). The period interval applies only
/// when the template holds SampledData; any other value type gives one point-in-time group per
/// instant, as the managed service does (§6.2 REC).
/// </summary>
internal static class ObservationGrouper
{
    private const string SegmentFormat = "yyyyMMddHHmmss'Z'";

    /// <summary>
    /// Whether <paramref name="measurement"/> can join a group and become FHIR: a correlation id where
    /// the template groups by it, and every value the template uses representable in its value type.
    /// Checked before a message's measurements join any group, so a message maps all or nothing.
    /// </summary>
    public static string? Check(CodeValueFhirTemplate template, Measurement measurement)
    {
        if (template.UsesSampledData && template.PeriodInterval == PeriodInterval.CorrelationId && string.IsNullOrWhiteSpace(measurement.CorrelationId))
        {
            return $"CorrelationIdNotDefined: type '{measurement.Type}' groups by correlation id, but the measurement has none.";
        }

        foreach (MeasurementProperty property in measurement.Properties)
        {
            string? error = CheckValue(template.Value, property) ?? CheckComponents(template, property);
            if (error is not null)
            {
                return error;
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
    public static string? Add(CodeValueFhirTemplate template, Measurement measurement, Dictionary<string, ObservationGroup> groups)
    {
        PeriodInterval period = template.UsesSampledData ? template.PeriodInterval : PeriodInterval.Single;
        DateTime time = DateTime.SpecifyKind(measurement.OccurrenceTimeUtc, DateTimeKind.Utc);
        DateTime start;
        DateTime end;
        string bucket;
        switch (period)
        {
            case PeriodInterval.Hourly:
                start = new DateTime(time.Year, time.Month, time.Day, time.Hour, 0, 0, DateTimeKind.Utc);
                end = start.AddHours(1).AddTicks(-1);
                bucket = Segment(start, end);
                break;
            case PeriodInterval.Daily:
                start = time.Date;
                end = start.AddDays(1).AddTicks(-1);
                bucket = Segment(start, end);
                break;
            case PeriodInterval.CorrelationId:
                if (string.IsNullOrWhiteSpace(measurement.CorrelationId))
                {
                    return $"CorrelationIdNotDefined: type '{measurement.Type}' groups by correlation id, but the measurement has none.";
                }

                start = end = time;
                bucket = measurement.CorrelationId;
                break;
            default:
                // Single: the instant itself; the id has second precision (§6.2).
                start = end = time;
                bucket = Segment(time, time);
                break;
        }

        // §6.1: DeviceId-Type-PatientId-EncounterId-CorrelationId, ordinal; plus the period bucket.
        string key = string.Concat(measurement.DeviceId, "-", measurement.Type, "-", measurement.PatientId, "-", measurement.EncounterId, "-", measurement.CorrelationId, "|", bucket);
        if (!groups.TryGetValue(key, out ObservationGroup? group))
        {
            group = new ObservationGroup(measurement, start, end, bucket);
            groups.Add(key, group);
        }

        group.Add(measurement, widen: period is PeriodInterval.CorrelationId or PeriodInterval.Single);
        return null;
    }

    private static string Segment(DateTime start, DateTime end) =>
        string.Concat(start.ToString(SegmentFormat, CultureInfo.InvariantCulture), ".", end.ToString(SegmentFormat, CultureInfo.InvariantCulture));
}
