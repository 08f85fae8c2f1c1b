using System.Globalization;
using System.Text.Json;
using MedTechEdge.EventHubs.Ingress;
using MedTechEdge.Pipeline;
using MedTechEdge.Pipeline.Stages;

namespace MedTechEdge.Dashboard;

/// <summary>
/// The dashboard's JSON answers, written from a <see cref="DashboardSnapshot"/> and the measurement tap. Times are
/// ISO 8601 UTC; chart points are <c>[unix ms, value, value?]</c> arrays to keep the once-a-second answer small.
/// Patient identifiers are left out, and masked in error texts, unless <c>Dashboard:ShowPatientIds</c> allows them.
/// </summary>
internal static class DashboardJson
{
    public static void WriteStatus(Utf8JsonWriter writer, DashboardSnapshot snapshot, PatientIdMask mask)
    {
        writer.WriteStartObject();
        WriteTime(writer, "timeUtc", snapshot.TimeUtc);
        writer.WriteStartObject("totals");
        WriteCounters(writer, snapshot.Totals);
        writer.WriteEndObject();
        if (snapshot.Backlog is { } backlog)
        {
            writer.WriteStartObject("backlog");
            writer.WriteNumber("inbox", backlog.Inbox);
            writer.WriteNumber("outbox", backlog.Outbox);
            writer.WriteNumber("openWindows", backlog.OpenWindows);
            writer.WriteNumber("deadLetters", backlog.DeadLetters);
            if (backlog.OldestUndeliveredSeconds is double age)
            {
                writer.WriteNumber("oldestUndeliveredSeconds", Math.Round(age, 1));
            }
            else
            {
                writer.WriteNull("oldestUndeliveredSeconds");
            }

            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("backlog");
        }

        writer.WriteString("storeError", snapshot.StoreError);
        SinkSample sink = snapshot.Sink;
        writer.WriteStartObject("sink");
        writer.WriteString("name", sink.Name);
        writer.WriteString("state", sink.State.ToString().ToLowerInvariant());
        writer.WriteNumber("retries", sink.RetryCount);
        writer.WriteString("lastRetryReason", mask.Apply(sink.LastRetryReason));
        writer.WriteString("configurationError", mask.Apply(sink.ConfigurationError));
        writer.WriteEndObject();
        WriteEventHub(writer, snapshot.EventHub);
        writer.WriteEndObject();
    }

    /// <summary>The Event Hubs ingress: where it reads, and per partition what it read, whether it owns it, and the checkpoint lag; null when off.</summary>
    private static void WriteEventHub(Utf8JsonWriter writer, EventHubIngressView? ingress)
    {
        if (ingress is null)
        {
            writer.WriteNull("eventHubIngress");
            return;
        }

        EventHubIngressMetrics metrics = ingress.Metrics;
        writer.WriteStartObject("eventHubIngress");
        writer.WriteString("namespace", ingress.Namespace);
        writer.WriteString("eventHub", ingress.EventHub);
        writer.WriteString("consumerGroup", ingress.ConsumerGroup);
        writer.WriteNumber("partitionsOwned", metrics.OwnedPartitions);
        writer.WriteNumber("ownershipChanges", metrics.OwnershipChanges);
        writer.WriteNumber("heldBatches", metrics.HeldBatches);
        writer.WriteStartArray("partitions");
        foreach (PartitionIngressState p in metrics.Snapshot())
        {
            writer.WriteStartObject();
            writer.WriteString("id", p.PartitionId);
            writer.WriteBoolean("owned", p.Owned);
            writer.WriteNumber("received", p.Received);
            writer.WriteNumber("checkpointLag", p.CheckpointLag);
            writer.WriteNumber("tooLarge", p.DeadLetters);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteThroughput(Utf8JsonWriter writer, DashboardSnapshot snapshot)
    {
        writer.WriteStartObject();
        WriteTime(writer, "timeUtc", snapshot.TimeUtc);
        writer.WriteNumber("bucketSeconds", DashboardSampler.BucketSeconds);
        writer.WriteStartArray("buckets");
        foreach (ThroughputBucket bucket in snapshot.Buckets)
        {
            WriteBucket(writer, bucket);
        }

        writer.WriteEndArray();
        // The bucket still filling, so the chart moves before the first ten seconds are over.
        writer.WritePropertyName("current");
        WriteBucket(writer, snapshot.Current);
        writer.WriteEndObject();
    }

    public static void WriteDeadLetters(Utf8JsonWriter writer, DashboardSnapshot snapshot, PatientIdMask mask)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("items");
        foreach (DeadLetterSummary letter in snapshot.DeadLetters)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", letter.Id);
            WriteTime(writer, "timeUtc", letter.CreatedUtc);
            writer.WriteString("stage", letter.Stage);
            writer.WriteString("kind", letter.Kind);
            writer.WriteString("deviceId", letter.DeviceId);
            // A dead letter's reason can quote the message it failed on, and its patient need never have reached the
            // tap that the mask knows: the reason is shown only where patient data may be (ShowPatientIds).
            if (ReferenceEquals(mask, PatientIdMask.None))
            {
                writer.WriteString("error", letter.Error);
            }
            else
            {
                writer.WriteNull("error");
            }
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// The devices of one tick. Each carries its activity (<c>state</c>: <c>live</c>, <c>no-data</c>, or <c>unknown</c>
    /// before its rhythm is known) and, per series, the normal range of each value where one is configured, so the page
    /// colours what lies outside with the bounds the module was given.
    /// </summary>
    public static void WriteDevices(Utf8JsonWriter writer, DeviceView[] devices, DateTime nowUtc, bool showPatientIds, NormalRanges ranges)
    {
        writer.WriteStartObject();
        WriteTime(writer, "timeUtc", nowUtc);
        writer.WriteStartArray("devices");
        foreach (DeviceView view in devices)
        {
            MeasurementTapDevice device = view.Device;
            writer.WriteStartObject();
            writer.WriteString("deviceId", device.DeviceId);
            if (showPatientIds)
            {
                writer.WriteString("patientId", device.PatientId);
            }

            WriteTime(writer, "lastSeenUtc", device.LastSeenUtc);
            WriteActivity(writer, view.Activity);
            writer.WriteStartArray("series");
            foreach (MeasurementTapSeries series in device.Series)
            {
                WriteSeries(writer, series, ranges);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteActivity(Utf8JsonWriter writer, DeviceActivity activity)
    {
        writer.WriteString("state", activity.UsualInterval is null ? "unknown" : activity.NoData ? "no-data" : "live");
        if (activity.UsualInterval is TimeSpan usual)
        {
            writer.WriteNumber("usualIntervalSeconds", Math.Round(usual.TotalSeconds, 1));
        }
        else
        {
            writer.WriteNull("usualIntervalSeconds");
        }

        writer.WriteNumber("silentSeconds", Math.Round(activity.SilentFor.TotalSeconds, 1));
    }

    private static void WriteSeries(Utf8JsonWriter writer, MeasurementTapSeries series, NormalRanges ranges)
    {
        writer.WriteStartObject();
        writer.WriteString("type", series.Type);
        writer.WriteStartArray("values");
        foreach (string name in series.ValueNames)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        // One entry per value: [low, high] with null for an open bound, or null when the value has no range.
        writer.WriteStartArray("ranges");
        foreach (string name in series.ValueNames)
        {
            if (ranges.For(series.Type, name) is NormalRange range)
            {
                writer.WriteStartArray();
                WriteBound(writer, range.Low);
                WriteBound(writer, range.High);
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("points");
        foreach (MeasurementSample sample in series.Samples)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(new DateTimeOffset(sample.TimeUtc, TimeSpan.Zero).ToUnixTimeMilliseconds());
            writer.WriteNumberValue(sample.First);
            if (series.ValueNames.Count > 1)
            {
                writer.WriteNumberValue(sample.Second);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteBound(Utf8JsonWriter writer, double? bound)
    {
        if (bound is double value)
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteBucket(Utf8JsonWriter writer, ThroughputBucket bucket)
    {
        writer.WriteStartObject();
        WriteTime(writer, "endUtc", bucket.EndUtc);
        writer.WriteNumber("seconds", Math.Round(bucket.Seconds, 1));
        WriteCounters(writer, bucket.Counts);
        writer.WriteEndObject();
    }

    private static void WriteCounters(Utf8JsonWriter writer, StageCounters counters)
    {
        writer.WriteNumber("ingested", counters.Ingested);
        writer.WriteNumber("mapped", counters.Mapped);
        writer.WriteNumber("persisted", counters.Persisted);
        writer.WriteNumber("deadLettered", counters.DeadLettered);
        writer.WriteNumber("unmatched", counters.Unmatched);
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTime utc) =>
        writer.WriteString(name, utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
