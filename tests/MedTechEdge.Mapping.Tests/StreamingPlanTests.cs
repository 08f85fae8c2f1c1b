using System.Text;
using MedTechEdge.Mapping.Normalization;

namespace MedTechEdge.Mapping.Tests;

/// <summary>
/// Which mappings get a streaming plan, and which messages the plan answers itself. (That its answers are the
/// engine's is StreamingDifferentialTests' concern, and every MappingFixtures-based test's.)
/// </summary>
public sealed class StreamingPlanTests
{
    private static readonly byte[] s_systemProperties = Encoding.UTF8.GetBytes("""
        {"iothub-connection-device-id":"d1","iothub-enqueuedtime":"2026-11-21T17:00:00.2000000Z","mqtt-topic":"devices/d1/messages/events","mqtt-client-id":"d1","mqtt-qos":1}
        """);

    public static TheoryData<string> Declined()
    {
        var data = new TheoryData<string>();
        foreach ((string why, _) in StreamingMappings.Declined)
        {
            data.Add(why);
        }

        return data;
    }

    [Fact]
    public void Simple_Mappings_Compile_To_A_Streaming_Plan()
    {
        Assert.True(DeviceMapping.Load(StreamingMappings.SingleVital).HasStreamingPlan);
        Assert.True(DeviceMapping.Load(StreamingMappings.FiveVital).HasStreamingPlan);
        Assert.True(DeviceMapping.Load(StreamingMappings.Headers).HasStreamingPlan);
        Assert.True(DeviceMapping.Load(StreamingMappings.Legacy).HasStreamingPlan);
        Assert.True(DeviceMapping.Load(StreamingMappings.BundledVitals()).HasStreamingPlan);
        Assert.True(DeviceMapping.Load(StreamingMappings.Bundled).HasStreamingPlan);
    }

    [Fact]
    public void The_Bundled_Mappings_Ecg_Template_Is_A_Guard_Vitals_Are_Answered_Ecg_Windows_Go_To_The_Engine()
    {
        DeviceMapping mapping = DeviceMapping.Load(StreamingMappings.Bundled);
        var output = new List<Measurement>();

        Assert.True(mapping.TryNormalizeStreaming(Single("72"), "{}"u8, s_systemProperties, null, output, out MappingError? error));
        Assert.Null(error);
        Assert.Equal("heartrate", Assert.Single(output).Type);

        output.Clear();
        byte[] ecg = Encoding.UTF8.GetBytes("""
            {"deviceId":"sim-05","patientId":"p5","startTimeMs":1795453200000,"stripId":"s1","ecg":[{"offsetMs":0,"mv":0.051}]}
            """);
        Assert.False(mapping.TryNormalizeStreaming(ecg, "{}"u8, s_systemProperties, null, output, out error));
        Assert.Empty(output);
    }

    [Theory]
    [MemberData(nameof(Declined))]
    public void Other_Mappings_Stay_On_The_Engine(string why)
    {
        DeviceMapping mapping = DeviceMapping.Load(Array.Find(StreamingMappings.Declined, d => d.Why == why).Json);

        Assert.False(mapping.HasStreamingPlan, why);
        var output = new List<Measurement>();
        Assert.False(mapping.TryNormalizeStreaming(Single("72"), "{}"u8, s_systemProperties, null, output, out MappingError? error));
        Assert.Empty(output);
        Assert.Null(error);
    }

    [Fact]
    public void The_Single_Vital_Message_Is_Answered_By_The_Plan()
    {
        DeviceMapping mapping = DeviceMapping.Load(StreamingMappings.SingleVital);
        var ingestion = new DateTime(2026, 11, 21, 17, 0, 1, DateTimeKind.Utc);
        var output = new List<Measurement>();

        Assert.True(mapping.TryNormalizeStreaming(Single("72"), "{}"u8, s_systemProperties, ingestion, output, out MappingError? error));

        Assert.Null(error);
        Measurement m = Assert.Single(output);
        Assert.Equal("heartrate", m.Type);
        Assert.Equal("d1", m.DeviceId);
        Assert.Equal("p1", m.PatientId);
        Assert.Equal(new DateTime(2026, 11, 21, 17, 0, 0, 123, DateTimeKind.Utc), m.OccurrenceTimeUtc);
        Assert.Equal(DateTimeKind.Utc, m.OccurrenceTimeUtc.Kind);
        Assert.Equal(ingestion, m.IngestionTimeUtc);
        Assert.Equal(new MeasurementProperty("hr", "72"), Assert.Single(m.Properties));
    }

    [Fact]
    public void The_Plan_Answers_Data_Errors_With_The_Engines_Kind_Template_And_Text()
    {
        DeviceMapping mapping = DeviceMapping.Load(StreamingMappings.SingleVital);
        var output = new List<Measurement>();

        Assert.True(mapping.TryNormalizeStreaming(Single("{\"v\":1}"), "{}"u8, s_systemProperties, null, output, out MappingError? error));

        Assert.Empty(output);
        Assert.Equal(MappingErrorKind.Normalization, error!.Kind);
        Assert.Equal("heartrate", error.TypeName);
        Assert.Equal("Unable to extract required value for [hr]: Encountered an error while extracting value for [hr] using expression $.matchedToken.heartRate", error.Detail);
    }

    [Theory]
    [InlineData("a nested match", """{"deviceId":"d1","measurementTime":"2026-11-21T17:00:00Z","heartRate":72,"inner":{"heartRate":80}}""", "{}")]
    [InlineData("only a nested match", """{"readings":[{"deviceId":"d1","measurementTime":"2026-11-21T17:00:00Z","heartRate":72}]}""", "{}")]
    [InlineData("a repeated member the template reads", """{"deviceId":"d1","deviceId":"d2","measurementTime":"2026-11-21T17:00:00Z","heartRate":72}""", "{}")]
    [InlineData("a property object holding the filter name", """{"deviceId":"d1","measurementTime":"2026-11-21T17:00:00Z","heartRate":72}""", """{"heartRate":"x"}""")]
    [InlineData("malformed JSON", """{"deviceId":"d1","heartRate":72,}""", "{}")]
    [InlineData("a blank body", "  ", "{}")]
    public void Messages_The_Plan_Cannot_Prove_Equal_Go_To_The_Engine(string why, string body, string properties)
    {
        DeviceMapping mapping = DeviceMapping.Load(StreamingMappings.SingleVital);
        var output = new List<Measurement>();

        Assert.False(mapping.TryNormalizeStreaming(Encoding.UTF8.GetBytes(body), Encoding.UTF8.GetBytes(properties), s_systemProperties, null, output, out MappingError? error), why);

        Assert.Empty(output);
        Assert.Null(error);
    }

    [Fact]
    public void Repeated_Members_Nobody_Reads_Do_Not_Stop_The_Plan()
    {
        DeviceMapping mapping = DeviceMapping.Load(StreamingMappings.SingleVital);
        var output = new List<Measurement>();
        byte[] body = Encoding.UTF8.GetBytes("""{"x":1,"deviceId":"d1","x":{"a":[1,{"b":2}]},"measurementTime":"2026-11-21T17:00:00Z","heartRate":72}""");

        Assert.True(mapping.TryNormalizeStreaming(body, "{}"u8, s_systemProperties, null, output, out MappingError? error));

        Assert.Null(error);
        Assert.Equal("72", Assert.Single(Assert.Single(output).Properties).Value);
    }

    private static byte[] Single(string heartRate) => Encoding.UTF8.GetBytes(
        $$"""{"deviceId":"d1","patientId":"p1","measurementTime":"2026-11-21T17:00:00.123Z","heartRate":{{heartRate}}}""");
}
