using System.Text;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Storage;

namespace MedTechEdge.Tools;

/// <summary>
/// The managed service's mapping debugger: sample messages through a device mapping, and a FHIR mapping when given,
/// showing the normalized measurements, the identities, the Observations and every error. Used by <c>mappings debug</c>
/// and by the <c>DebugMapping</c> direct method.
/// </summary>
/// <remarks>
/// The order is the Map stage's (src/MedTechEdge.Pipeline/Stages/BatchMapper.cs): normalize a message all or nothing,
/// then for each measurement its identity and the FHIR template's checks. A message with one failing measurement is a
/// dead letter as a whole in the module, so none of its measurements join a group here either; all of them are still
/// shown, the error next to the failing one.
/// </remarks>
internal static class MappingDebugger
{
    public static async Task<MappingDebugResult> RunAsync(MappingDebugRequest request, CancellationToken cancellationToken)
    {
        var result = new MappingDebugResult();
        using var identities = new DebugIdentities(request);
        var references = new Dictionary<(string, string?, string?), ResourceReferences>();
        MeasurementGrouping? grouping = request.Fhir?.CreateGrouping();
        var measurements = new List<Measurement>();
        for (int i = 0; i < request.Messages.Count; i++)
        {
            measurements.Clear();
            if (Normalize(request, request.Messages[i], i, measurements) is { } failed)
            {
                result.Errors.Add(failed);
                continue;
            }

            int first = result.Measurements.Count;
            bool messageFailed = false;
            for (int m = 0; m < measurements.Count; m++)
            {
                Measurement measurement = measurements[m];
                DebugFailure? failure = null;
                if (request.Fhir is { } fhir)
                {
                    DebugIdentity identity = await identities.ResolveAsync(measurement, i, m, cancellationToken).ConfigureAwait(false);
                    failure = identity.Failure is { } noIdentity ? noIdentity with { Message = i, Measurement = m } : null;
                    if (failure is null && fhir.Check(measurement) is { } invalid)
                    {
                        // Every FHIR-side data error is the service's FHIR transform error class, as in the Map stage.
                        failure = new DebugFailure(i, m, DeadLetterKind.FhirTransformError, invalid.Message);
                    }

                    if (failure is null)
                    {
                        references[(measurement.DeviceId, measurement.PatientId, measurement.EncounterId)] = identity.References!;
                    }
                }

                result.Measurements.Add(new DebugMeasurement(i, measurement, failure));
                if (failure is not null)
                {
                    result.Errors.Add(failure);
                    messageFailed = true;
                }
            }

            for (int m = first; grouping is not null && !messageFailed && m < result.Measurements.Count; m++)
            {
                grouping.Add(result.Measurements[m].Measurement);
            }
        }

        result.Identities.AddRange(identities.Resolved);
        if (grouping is not null)
        {
            foreach (ObservationGroup group in grouping.Groups)
            {
                // Check() vouched for every value, so creation cannot fail on data.
                if (request.Fhir!.CreateObservation(group, references[(group.DeviceId, group.PatientId, group.EncounterId)], DateTime.UtcNow, out FhirResource? observation) is null)
                {
                    result.Observations.Add(observation!);
                }
            }
        }

        return result;
    }

    private static DebugFailure? Normalize(MappingDebugRequest request, string body, int index, List<Measurement> output)
    {
        if (!DeviceEnvelope.TryCreate(Encoding.UTF8.GetBytes(body), request.Properties, request.SystemProperties, out DeviceEnvelope? envelope, out string? error))
        {
            return new DebugFailure(index, null, DeadLetterKind.InvalidDeviceMessage, error!);
        }

        using (envelope)
        {
            return request.Device.Normalize(envelope!, null, output) is { } failure
                ? new DebugFailure(index, null, DeadLetterKind.NormalizationError, failure.Message)
                : null;
        }
    }
}
