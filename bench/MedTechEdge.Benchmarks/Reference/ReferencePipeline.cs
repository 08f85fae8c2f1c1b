using MedTechEdge.Benchmarks.Cases;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using Newtonsoft.Json.Linq;

namespace MedTechEdge.Benchmarks.Reference;

/// <summary>The Newtonsoft reference, driven exactly as <see cref="Engine.EnginePipeline"/> drives the engine.</summary>
internal sealed class ReferencePipeline
{
    private readonly BenchmarkCase _case;
    private readonly ReferenceDeviceMapping _deviceMapping;
    private readonly ReferenceFhirMapping _fhirMapping;

    public ReferencePipeline(BenchmarkCase benchmarkCase)
    {
        _case = benchmarkCase;
        _deviceMapping = ReferenceDeviceMapping.Load(benchmarkCase.DeviceMappingJson);
        _fhirMapping = ReferenceFhirMapping.Load(benchmarkCase.FhirMappingJson);
    }

    public List<Measurement> Measurements { get; } = new(8);

    public List<FhirResource> Resources { get; } = new(8);

    public int Normalize()
    {
        Measurements.Clear();
        JObject envelope = ReferenceEnvelope.Build(_case.Body, _case.PropertiesJson, _case.SystemPropertiesJson);
        _deviceMapping.Normalize(envelope, _case.IngestionTimeUtc, Measurements);
        return Measurements.Count;
    }

    public int NormalizeAndTransform()
    {
        Normalize();
        Resources.Clear();
        foreach (Measurement measurement in Measurements)
        {
            Resources.Add(_fhirMapping.Transform(measurement, SharedInputs.References, SharedInputs.IssuedUtc));
        }

        return Resources.Count;
    }
}
