using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Tests.Sinks;

/// <summary>SampledData window records of a one-minute ECG mapping, for the FHIR sink's merge-on-write tests.</summary>
internal static class EcgWindowRecords
{
    /// <summary>An ECG in mV sampled each second, one window per minute.</summary>
    public static readonly FhirMapping Mapping = FhirMapping.Load("""
        {"templateType":"CollectionFhir","template":[{"templateType":"CodeValueFhir","template":{
          "typeName":"ecg","periodInterval":60,"codes":[{"system":"http://loinc.org","code":"131328"}],
          "value":{"valueType":"SampledData","valueName":"mv","defaultPeriod":1000,"unit":"mV"}}}]}
        """);

    /// <summary>
    /// The window record of the minute 2026-11-21 14:00 with the given seconds' values: measured by
    /// <paramref name="measuredBy"/>, referencing <paramref name="references"/>, queued as <paramref name="outboxDevice"/>'s.
    /// </summary>
    public static OutboxRecord Window(string outboxDevice, string measuredBy, ResourceReferences references, DateTime issuedUtc, params (int Second, string Value)[] values)
    {
        MeasurementGrouping grouping = Mapping.CreateGrouping();
        foreach ((int second, string value) in values)
        {
            grouping.Add(new Measurement
            {
                Type = "ecg",
                OccurrenceTimeUtc = new DateTime(2026, 11, 21, 14, 0, second, DateTimeKind.Utc),
                DeviceId = measuredBy,
                PatientId = "p",
                Properties = { new MeasurementProperty("mv", value) },
            });
        }

        Assert.Null(Mapping.CreateObservation(grouping.Groups.Single(), references, issuedUtc, out FhirResource? observation));
        return new OutboxRecord { DeviceId = outboxDevice, Kind = OutboxKind.SampledDataWindow, ResourceType = "Observation", ResourceId = observation!.Id, Body = observation.Json };
    }
}
