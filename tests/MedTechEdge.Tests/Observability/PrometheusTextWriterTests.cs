using MedTechEdge.Observability;
using MedTechEdge.Pipeline;

namespace MedTechEdge.Tests.Observability;

public sealed class PrometheusTextWriterTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData(@"C:\data", @"C:\\data")]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("two\nlines", @"two\nlines")]
    [InlineData("\\\"\n", "\\\\\\\"\\n")]
    [InlineData("ünïcödé stays", "ünïcödé stays")]
    public void Label_Values_Escape_Backslash_Quote_And_Line_Feed(string value, string escaped) =>
        Assert.Equal(escaped, PrometheusTextWriter.EscapeLabelValue(value));

    [Fact]
    public void A_Family_Is_Help_Type_Then_Samples_With_The_Constant_Labels_First()
    {
        var w = new PrometheusTextWriter([("iothub", "hub.azure-devices.net"), ("edge_device", "gw \"1\"")]);
        w.Family("x_total", "counter", "Counts things\\stuff\nover two lines.");
        w.Sample("x_total", [("kind", "a\\b")], 3);
        w.Family("y", "gauge", "A gauge.");
        w.Sample("y", [], 0.5);

        Assert.Equal(
            "# HELP x_total Counts things\\\\stuff\\nover two lines.\n" +
            "# TYPE x_total counter\n" +
            "x_total{iothub=\"hub.azure-devices.net\",edge_device=\"gw \\\"1\\\"\",kind=\"a\\\\b\"} 3\n" +
            "# HELP y A gauge.\n" +
            "# TYPE y gauge\n" +
            "y{iothub=\"hub.azure-devices.net\",edge_device=\"gw \\\"1\\\"\"} 0.5\n",
            w.ToString());
        IReadOnlyList<PrometheusSample> parsed = PrometheusText.Parse(w.ToString());
        Assert.Equal("gw \"1\"", parsed[0].Labels["edge_device"]);
        Assert.Equal("a\\b", parsed[0].Labels["kind"]);
    }

    [Fact]
    public void Without_Labels_A_Sample_Has_No_Braces()
    {
        var w = new PrometheusTextWriter([]);
        w.Family("up", "gauge", "Up.");
        w.Sample("up", [], 1);
        Assert.Equal("# HELP up Up.\n# TYPE up gauge\nup 1\n", w.ToString());
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.25, "0.25")]
    [InlineData(86400d, "86400")]
    public void Values_Use_The_Formats_Float_Syntax(double value, string text) =>
        Assert.Equal(text, PrometheusTextWriter.FormatValue(value));

    [Fact]
    public void A_Histogram_Writes_Cumulative_Buckets_Ending_With_Inf_Then_Sum_And_Count()
    {
        var histogram = new LatencyHistogram();
        histogram.Observe(TimeSpan.FromMilliseconds(10));
        histogram.Observe(TimeSpan.FromMilliseconds(300));
        histogram.Observe(TimeSpan.FromSeconds(-2));
        histogram.Observe(TimeSpan.FromDays(2));
        Span<long> counts = stackalloc long[LatencyHistogram.Bounds.Length + 1];
        double sum = histogram.Read(counts);
        var w = new PrometheusTextWriter([("instance_number", "1")]);
        w.Histogram("lat_seconds", "Latency.", LatencyHistogram.Bounds, counts, sum);

        IReadOnlyList<PrometheusSample> samples = PrometheusText.Parse(w.ToString());
        Assert.Equal(2, samples.Single(s => s.Name == "lat_seconds_bucket" && s.Labels["le"] == "0.05").Value);
        Assert.Equal(3, samples.Single(s => s.Name == "lat_seconds_bucket" && s.Labels["le"] == "0.5").Value);
        Assert.Equal(3, samples.Single(s => s.Name == "lat_seconds_bucket" && s.Labels["le"] == "86400").Value);
        Assert.Equal(4, samples.Single(s => s.Name == "lat_seconds_bucket" && s.Labels["le"] == "+Inf").Value);
        Assert.Equal(4, samples.Single(s => s.Name == "lat_seconds_count").Value);
        // The clock-skewed observation counts as zero: the sum never falls.
        Assert.Equal(0.31 + (2 * 86400), samples.Single(s => s.Name == "lat_seconds_sum").Value, 6);
    }

    [Theory]
    [InlineData("""{"effectivePeriod":{"start":"2026-11-21T10:00:00Z","end":"2026-11-21T10:00:05Z"},"issued":"2026-11-21T11:00:00Z"}""", "2026-11-21T10:00:05Z")]
    [InlineData("""{"effectiveDateTime" : "2026-11-21T10:00:00+01:00"}""", "2026-11-21T09:00:00Z")]
    [InlineData("""{"type":"hr","occurrenceTimeUtc":"2026-11-21T10:00:00.5Z"}""", "2026-11-21T10:00:00.5Z")]
    public void The_Device_Time_Of_A_Resource_Is_Read_Without_Parsing_The_Document(string json, string expected)
    {
        Assert.True(PipelineMetrics.TryReadDeviceTime(System.Text.Encoding.UTF8.GetBytes(json), out DateTime utc));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime, utc);
        Assert.Equal(DateTimeKind.Utc, utc.Kind);
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient","id":"p"}""")]
    [InlineData("""{"effectiveDateTime":12}""")]
    [InlineData("""{"effectiveDateTime":"yesterday"}""")]
    public void A_Resource_Without_A_Device_Time_Has_None(string json) =>
        Assert.False(PipelineMetrics.TryReadDeviceTime(System.Text.Encoding.UTF8.GetBytes(json), out _));
}
