using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Pipeline.Identity;

/// <summary>
/// Identity in the managed service's Create mode, reduced to what needs no server round trip: the
/// Patient and Device get deterministic ids (medtech-compat §8 step 3-4), and the first time a
/// device/patient pair is seen their resources are emitted ahead of its Observations, written with
/// PUT like everything else, so repeats are harmless. This is the mode without a FHIR server to ask (NDJSON
/// output); with one, <see cref="CreateIdentityResolver"/> checks the server first.
/// </summary>
internal sealed class CreateModeIdentity
{
    // The references of every pair seen so far: hashing once per pair, not once per measurement.
    private readonly Dictionary<(string Device, string Patient), ResourceReferences> _known = [];

    /// <summary>
    /// Resolves the references for <paramref name="measurement"/>, appending Patient and Device
    /// resources when this pair is new. Returns null with an error when the patient id is missing.
    /// </summary>
    /// <param name="measurement">The measurement.</param>
    /// <param name="output">Receives the Patient and Device resources when the pair is new.</param>
    /// <param name="emitted">Receives the pair when its resources were emitted, so a rollback can <see cref="Forget"/> it.</param>
    /// <param name="error">Why the references could not be resolved.</param>
    public ResourceReferences? Resolve(Measurement measurement, List<FhirResource> output, List<(string Device, string Patient)> emitted, out string? error)
    {
        if (string.IsNullOrWhiteSpace(measurement.PatientId))
        {
            error = "PatientIdentityNotDefined: the device mapping extracted no patient id, which Create mode requires.";
            return null;
        }

        if (_known.TryGetValue((measurement.DeviceId, measurement.PatientId), out ResourceReferences? known))
        {
            error = null;
            return known;
        }

        string patientId = DeterministicId.ForPatient(measurement.PatientId);
        string deviceId = DeterministicId.ForDevice(measurement.DeviceId);
        var references = new ResourceReferences(patientId, deviceId);
        _known.Add((measurement.DeviceId, measurement.PatientId), references);
        emitted.Add((measurement.DeviceId, measurement.PatientId));
        output.Add(IdentityResources.Patient(patientId, measurement.PatientId));
        output.Add(IdentityResources.Device(deviceId, measurement.DeviceId, null, patientId));
        error = null;
        return references;
    }

    /// <summary>Forgets pairs whose resources were dropped (their message was rolled back), so they are emitted again.</summary>
    public void Forget(List<(string Device, string Patient)> pairs)
    {
        foreach ((string Device, string Patient) pair in pairs)
        {
            _known.Remove(pair);
        }
    }
}
