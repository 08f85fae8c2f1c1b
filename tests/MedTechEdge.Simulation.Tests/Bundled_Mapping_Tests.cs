using System.Globalization;
using System.Text.Json;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Simulation.Tests.TestSupport;

namespace MedTechEdge.Simulation.Tests;

/// <summary>
/// Every message the simulator sends, through the real mapping library with the module's sample mappings: well-formed
/// ones become the expected measurements and Observations, malformed ones are refused with an error (a dead letter).
/// </summary>
public sealed class Bundled_Mapping_Tests
{
    [Theory]
    [InlineData(DeviceKind.BedsideMonitor, "heartrate:hr=heartRate spo2:spo2=spo2 bloodpressure:systolic=systolic,diastolic=diastolic bodytemperature:temperature=temperature respiratoryrate:rr=respiratoryRate")]
    [InlineData(DeviceKind.PulseOximeter, "spo2:spo2=spo2 pulserate:pr=pulseRate")]
    [InlineData(DeviceKind.BloodPressureCuff, "heartrate:hr=heartRate bloodpressure:systolic=systolic,diastolic=diastolic")]
    [InlineData(DeviceKind.Thermometer, "bodytemperature:temperature=temperature")]
    public void Vital_Sign_Messages_Normalize_To_The_Expected_Measurements(DeviceKind kind, string expected)
    {
        foreach (GeneratedMessage message in Generated.OfKind(kind, 20))
        {
            var measurements = new List<Measurement>();
            Assert.Null(BundledMappings.Normalize(message.Json, measurements));

            JsonElement body = message.Root;
            string[] types = expected.Split(' ');
            Assert.Equal(types.Length, measurements.Count);
            foreach (string type in types)
            {
                // "type:valueName=field,valueName=field"
                string[] parts = type.Split(':');
                Measurement measurement = Assert.Single(measurements, m => m.Type == parts[0]);
                Assert.Equal("sim-01", measurement.DeviceId);
                Assert.Equal("patient-01", measurement.PatientId);
                Assert.Equal(message.ClockTime.UtcDateTime, measurement.OccurrenceTimeUtc);
                foreach (string pair in parts[1].Split(','))
                {
                    string[] names = pair.Split('=');
                    MeasurementProperty property = Assert.Single(measurement.Properties, p => p.Name == names[0]);
                    Assert.Equal(body.GetProperty(names[1]).GetDouble(), double.Parse(property.Value, CultureInfo.InvariantCulture));
                }
            }
        }
    }

    [Theory]
    [InlineData(DeviceKind.BedsideMonitor, "8867-4 59408-5 85354-9 8310-5 9279-1")]
    [InlineData(DeviceKind.PulseOximeter, "59408-5 8889-8")]
    [InlineData(DeviceKind.BloodPressureCuff, "8867-4 85354-9")]
    [InlineData(DeviceKind.Thermometer, "8310-5")]
    public void Vital_Sign_Messages_Become_Observations_With_Their_Codes_And_Values(DeviceKind kind, string loincCodes)
    {
        GeneratedMessage message = Generated.OfKind(kind, 1)[0];
        var measurements = new List<Measurement>();
        Assert.Null(BundledMappings.Normalize(message.Json, measurements));

        List<JsonElement> observations = BundledMappings.Observations(measurements);

        Assert.Equal(loincCodes.Split(' ').Order(), observations.Select(o => o.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString()).Order());
        foreach (JsonElement observation in observations)
        {
            Assert.Equal("Observation", observation.GetProperty("resourceType").GetString());
            Assert.Equal("2026-11-21T17:00:00.0000000Z", observation.GetProperty("effectivePeriod").GetProperty("start").GetString());
            bool hasValue = observation.TryGetProperty("valueQuantity", out JsonElement quantity);
            if (!hasValue)
            {
                quantity = observation.GetProperty("component")[0].GetProperty("valueQuantity");
            }

            Assert.True(quantity.GetProperty("value").GetDecimal() > 0);
        }
    }

    [Fact]
    public void An_Ecg_Window_Normalizes_To_One_Measurement_Per_Sample_At_Its_Own_Time()
    {
        GeneratedMessage message = Generated.OfKind(DeviceKind.Ecg, 1)[0];
        var measurements = new List<Measurement>();
        Assert.Null(BundledMappings.Normalize(message.Json, measurements));

        JsonElement[] samples = [.. message.Root.GetProperty("ecg").EnumerateArray()];
        Assert.Equal(250, measurements.Count);
        for (int i = 0; i < samples.Length; i++)
        {
            Measurement measurement = measurements[i];
            Assert.Equal("ecg", measurement.Type);
            Assert.Equal("sim-01", measurement.DeviceId);
            Assert.Equal("patient-01", measurement.PatientId);
            Assert.Equal("sim-01-202611211700", measurement.CorrelationId);
            Assert.Equal(message.ClockTime.UtcDateTime.AddMilliseconds(4 * i), measurement.OccurrenceTimeUtc);
            Assert.Equal(samples[i].GetProperty("mv").GetDouble(), double.Parse(Assert.Single(measurement.Properties).Value, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void A_Minute_Of_Ecg_Windows_Becomes_One_SampledData_Observation_With_Every_Sample()
    {
        var measurements = new List<Measurement>();
        var expected = new List<string>();
        foreach (GeneratedMessage message in Generated.OfKind(DeviceKind.Ecg, 60))
        {
            Assert.Null(BundledMappings.Normalize(message.Json, measurements));
            foreach (JsonElement sample in message.Root.GetProperty("ecg").EnumerateArray())
            {
                expected.Add(sample.GetProperty("mv").GetDouble().ToString(CultureInfo.InvariantCulture));
            }
        }

        JsonElement observation = Assert.Single(BundledMappings.Observations(measurements));

        Assert.Equal("131330", observation.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString());
        JsonElement sampled = observation.GetProperty("valueSampledData");
        Assert.Equal(4m, sampled.GetProperty("period").GetDecimal());
        Assert.Equal("mV", sampled.GetProperty("origin").GetProperty("unit").GetString());
        string[] data = sampled.GetProperty("data").GetString()!.Split(' ');
        // 15,000 samples, one per 4 ms slot, none missing ("E").
        Assert.Equal(15000, data.Length);
        Assert.Equal(expected.Select(double.Parse), data.Select(d => double.Parse(d, CultureInfo.InvariantCulture)));
        Assert.Equal("2026-11-21T17:00:00.0000000Z", observation.GetProperty("effectivePeriod").GetProperty("start").GetString());
        Assert.Equal("2026-11-21T17:00:59.9960000Z", observation.GetProperty("effectivePeriod").GetProperty("end").GetString());
    }

    [Fact]
    public void Every_Well_Formed_Message_Of_A_Mixed_Run_Maps_And_Every_Malformed_One_Is_Refused()
    {
        // All five kinds, skewed clocks, a third of the messages malformed: what a dead-letter exercise sends.
        var options = new DeviceSimulationOptions { DeviceCount = 10, Seed = 13, MaxClockSkew = TimeSpan.FromSeconds(20), MalformedRatio = 0.35 };
        var refusedBy = new Dictionary<MessageForm, HashSet<string>>();
        int wellFormed = 0;
        foreach (GeneratedMessage message in Generated.Messages(options, 40))
        {
            var measurements = new List<Measurement>();
            string? error = BundledMappings.Normalize(message.Json, measurements);
            if (message.Form == MessageForm.WellFormed)
            {
                Assert.True(error is null, message.Device.Kind + ": " + error);
                Assert.NotEmpty(measurements);
                Assert.NotEmpty(BundledMappings.Observations(measurements));
                wellFormed++;
            }
            else
            {
                Assert.True(error is not null, $"{message.Form} from {message.Device.Kind} was accepted: {Encoding(message)}");
                if (!refusedBy.TryGetValue(message.Form, out HashSet<string>? stages))
                {
                    refusedBy[message.Form] = stages = [];
                }

                stages.Add(error[..error.IndexOf(':', StringComparison.Ordinal)]);
            }
        }

        Assert.True(wellFormed > 200);
        // Each fault is caught where the Map stage would catch it.
        Assert.Equal(["envelope"], refusedBy[MessageForm.InvalidJson]);
        Assert.Equal(["normalize"], refusedBy[MessageForm.MissingDeviceId]);
        Assert.Equal(["normalize"], refusedBy[MessageForm.WrongTimestampType]);
        Assert.Equal(["check"], refusedBy[MessageForm.WrongValueType]);
    }

    [Fact]
    public void The_Bundled_Mappings_Load_Without_Warnings()
    {
        Assert.Empty(BundledMappings.Device.Warnings);
        Assert.Empty(BundledMappings.Fhir.Warnings);
    }

    private static string Encoding(GeneratedMessage message) => System.Text.Encoding.UTF8.GetString(message.Json);
}
