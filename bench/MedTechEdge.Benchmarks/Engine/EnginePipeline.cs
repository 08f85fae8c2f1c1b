using System.Text.Json;
using MedTechEdge.Benchmarks.Cases;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Benchmarks.Engine;

/// <summary>
/// Our engine, driven the way the pipeline's map stage drives it: envelope, normalize, then transform
/// each measurement; the output lists are reused between messages as the stage reuses them.
/// </summary>
internal sealed class EnginePipeline
{
    private readonly BenchmarkCase _case;
    private readonly DeviceMapping _deviceMapping;
    private readonly FhirMapping _fhirMapping;
    private readonly bool _streaming;

    /// <param name="benchmarkCase">The input.</param>
    /// <param name="streaming">
    /// True (the pipeline's way): the mapping's streaming plan first, the envelope and JSONPath engine for what it
    /// declines. False: the JSONPath engine only, the engine as it was before the streaming plan (issue 16 §5).
    /// </param>
    public EnginePipeline(BenchmarkCase benchmarkCase, bool streaming = true)
    {
        _case = benchmarkCase;
        _streaming = streaming;
        _deviceMapping = DeviceMapping.Load(benchmarkCase.DeviceMappingJson);
        _fhirMapping = FhirMapping.Load(benchmarkCase.FhirMappingJson);
    }

    /// <summary>How many messages the streaming plan declined (they took the engine's path).</summary>
    public int Declined { get; private set; }

    public List<Measurement> Measurements { get; } = new(8);

    public List<FhirResource> Resources { get; } = new(8);

    /// <summary>Envelope + normalization of one message; returns the number of measurements.</summary>
    public int Normalize()
    {
        Measurements.Clear();
        string? error;
        if (_streaming)
        {
            if (_deviceMapping.TryNormalizeStreaming(_case.Body, _case.PropertiesUtf8, _case.SystemPropertiesUtf8, _case.IngestionTimeUtc, Measurements, out MappingError? streamed))
            {
                return streamed is null ? Measurements.Count : throw new InvalidOperationException(streamed.Message);
            }

            Declined++;
        }

        if (!DeviceEnvelope.TryCreate(_case.Body, _case.PropertiesUtf8, _case.SystemPropertiesUtf8, out DeviceEnvelope? envelope, out error))
        {
            throw new InvalidOperationException(error);
        }

        using (envelope)
        {
            error = _deviceMapping.Normalize(envelope!, _case.IngestionTimeUtc, Measurements)?.Message;
        }

        return error is null ? Measurements.Count : throw new InvalidOperationException(error);
    }

    /// <summary>Envelope, normalization and Observation JSON for one message; returns the number of resources.</summary>
    public int NormalizeAndTransform()
    {
        Normalize();
        return Transform();
    }

    /// <summary>
    /// The Observation JSON for the measurements of the last <see cref="Normalize"/>, alone: the transform's share of a
    /// message (the measurements are immutable, so transforming them again is the same work); returns the number of resources.
    /// </summary>
    public int Transform()
    {
        Resources.Clear();
        List<Measurement> measurements = Measurements;
        for (int i = 0; i < measurements.Count; i++)
        {
            string? error = _fhirMapping.Transform(measurements[i], SharedInputs.References, SharedInputs.IssuedUtc, Resources)?.Message;
            if (error is not null)
            {
                throw new InvalidOperationException(error);
            }
        }

        return Resources.Count;
    }
}
