using System.Globalization;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>
/// What a normalized message must satisfy before any of it becomes a resource: its sender may speak for every device
/// it names, and every measurement time is plausible. One failure refuses the whole message, as mapping errors do.
/// </summary>
internal static class MessageGuards
{
    /// <summary>Null when <paramref name="measurements"/> pass; otherwise the kind and the reason, naming the field.</summary>
    public static (DeadLetterKind Kind, string Error)? Check(InboxMessage message, List<Measurement> measurements, DateTime now, PipelineOptions options) =>
        CheckSender(message, measurements) ?? CheckTimes(measurements, now, options);

    /// <summary>Null when the message's sender may speak for every device its measurements name (or it is unbound).</summary>
    public static (DeadLetterKind Kind, string Error)? CheckSender(InboxMessage message, List<Measurement> measurements)
    {
        if (message.Binding is not { } binding)
        {
            return null;
        }

        for (int i = 0; i < measurements.Count; i++)
        {
            if (!binding.Allows(measurements[i].DeviceId))
            {
                return (DeadLetterKind.DeviceIdentityMismatch, NotAllowed(binding, measurements[i]));
            }
        }

        return null;
    }

    private static (DeadLetterKind Kind, string Error)? CheckTimes(List<Measurement> measurements, DateTime now, PipelineOptions options)
    {
        // A skew set to "no limit" (days beyond year 9999) must not overflow: the latest time is then the last one.
        DateTime latest = options.MaxClockSkew >= DateTime.MaxValue - now ? DateTime.MaxValue : now + options.MaxClockSkew;
        for (int i = 0; i < measurements.Count; i++)
        {
            Measurement measurement = measurements[i];
            DateTime time = measurement.OccurrenceTimeUtc;
            if (time < options.EarliestTimestamp)
            {
                return (DeadLetterKind.TimestampOutOfRange, string.Create(CultureInfo.InvariantCulture,
                    $"Template '{measurement.Type}': the measurement time {time:O} (timestampExpression) is before the earliest accepted time {options.EarliestTimestamp:O} (Pipeline:EarliestTimestamp)."));
            }

            if (time > latest)
            {
                return (DeadLetterKind.TimestampOutOfRange, string.Create(CultureInfo.InvariantCulture,
                    $"Template '{measurement.Type}': the measurement time {time:O} (timestampExpression) is more than {options.MaxClockSkew} ahead of the gateway clock, {now:O} (Pipeline:MaxClockSkew)."));
            }
        }

        return null;
    }

    private static string NotAllowed(DeviceBinding binding, Measurement measurement) =>
        binding.Allowed.Count == 0
            ? $"Template '{measurement.Type}': the message names device '{measurement.DeviceId}' (deviceIdExpression), but its sender authenticated as '{binding.Identity}', which may speak only for itself."
            : $"Template '{measurement.Type}': the message names device '{measurement.DeviceId}' (deviceIdExpression), but its sender authenticated as '{binding.Identity}', which may speak only for itself and {string.Join(", ", binding.Allowed)}.";
}
