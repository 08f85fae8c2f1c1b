using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// The FHIR peer's ceiling: Observations of the bench's shape, transformed and packed into transaction Bundles before
/// the clock starts, then posted with a fixed number in flight as fast as the peer answers. No client that has to map
/// anything can beat it, so every other path is reported as a fraction of it.
/// </summary>
internal static class DirectLoader
{
    /// <summary>The Patient and Device the pre-built Observations refer to: the peer checks references.</summary>
    public static async Task SeedAsync(FhirClient client)
    {
        await client.PutAsync("Patient", "bench-patient", """{"resourceType":"Patient","id":"bench-patient"}"""u8.ToArray());
        await client.PutAsync("Device", "bench-device", """{"resourceType":"Device","id":"bench-device","patient":{"reference":"Patient/bench-patient"}}"""u8.ToArray());
    }

    public static List<FhirResource> Observations(FhirMapping mapping, int count, string run)
    {
        var output = new List<FhirResource>(count);
        var references = new ResourceReferences("bench-patient", "bench-device");
        for (int i = 0; i < count; i++)
        {
            var measurement = new Measurement
            {
                Type = "heartrate",
                OccurrenceTimeUtc = BenchDeviceMessages.Time(i),
                DeviceId = BenchDeviceMessages.DeviceId(run, i),
                PatientId = "bench-patient",
                Properties = { new MeasurementProperty("hr", BenchDeviceMessages.HeartRate(i).ToString(System.Globalization.CultureInfo.InvariantCulture)) },
            };
            string? error = mapping.Transform(measurement, references, BenchDeviceMessages.Start, output)?.Message;
            if (error is not null)
            {
                throw new InvalidOperationException(error);
            }
        }

        return output;
    }

    /// <summary>Seeds the references, builds <paramref name="count"/> Observations in Bundles and posts them; returns the count.</summary>
    public static Task<int> LoadAsync(FhirClient client, FhirMapping mapping, int count, string run, int bundleSize, int inFlight) =>
        LoadAsync(client, Observations(mapping, count, run), bundleSize, inFlight);

    public static async Task<int> LoadAsync(FhirClient client, List<FhirResource> observations, int bundleSize, int inFlight)
    {
        // Bundles are built before the clock matters to the peer: the loader only posts.
        var bundles = new List<ReadOnlyMemory<byte>>();
        for (int start = 0; start < observations.Count; start += bundleSize)
        {
            using var builder = new FhirTransactionBuilder(FhirBundleType.Transaction);
            for (int i = start; i < Math.Min(start + bundleSize, observations.Count); i++)
            {
                builder.AddPut("Observation", observations[i].Id, observations[i].Json);
            }

            bundles.Add(builder.Build().ToArray());
        }

        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < bundles.Count)
            {
                FhirResponse response = await client.TransactionAsync(bundles[index]);
                if (!response.IsSuccess)
                {
                    throw new InvalidOperationException("Bundle refused: " + response);
                }
            }
        }));
        return observations.Count;
    }
}
