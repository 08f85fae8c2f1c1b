using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Pipeline.Identity;

/// <summary>
/// Identity in the managed service's Create mode, reduced to what needs no server round trip: the
/// Patient and Device get deterministic ids (medtech-semantics §6 step 3-4), and the first time a
/// device/patient pair is seen their resources are emitted ahead of its Observations, written with
/// PUT like everything else, so repeats are harmless. This is the mode without a FHIR server to ask (NDJSON
/// output); with one, <see cref="CreateIdentityResolver"/> checks the server first.
/// A Device this stage linked to one patient is not relinked to another: a message naming another patient for it is a
/// <c>PatientDeviceMismatchException</c>, as the service answers for a Device linked to another patient (§8 step 5).
/// The links are kept in the store's <c>identity</c> table, so they hold across restarts.
/// </summary>
/// <param name="deviceSystem">
/// The Device identifier system (<c>Pipeline:DefaultDeviceIdentifierSystem</c>); blank for none. In the Device's
/// identifier and its id, as <see cref="CreateIdentityResolver"/> writes them: the same device gets the same Device
/// whichever sink the module writes to.
/// </param>
internal sealed class CreateModeIdentity(string? deviceSystem = null)
{
    private readonly string? _system = string.IsNullOrWhiteSpace(deviceSystem) ? null : deviceSystem;

    // The references of every pair seen so far: hashing once per pair, not once per measurement.
    private readonly Dictionary<(string Device, string Patient), ResourceReferences> _known = [];
    private readonly Dictionary<string, string> _linkedTo = new(StringComparer.Ordinal);
    private readonly List<(string Device, string Patient)> _toSave = [];
    private SqliteConnection? _connection;

    /// <summary>Starts a mapping pass: links this process has not seen are read through <paramref name="connection"/>.</summary>
    public void BeginPass(SqliteConnection connection)
    {
        _connection = connection;
        _toSave.Clear();
    }

    /// <summary>
    /// Resolves the references for <paramref name="measurement"/>, appending Patient and Device
    /// resources when this pair is new. Returns null with the kind and error when the patient id is missing, or when
    /// the device is linked to another patient.
    /// </summary>
    /// <param name="measurement">The measurement.</param>
    /// <param name="output">Receives the Patient and Device resources when the pair is new.</param>
    /// <param name="emitted">Receives the pair when its resources were emitted, so a rollback can <see cref="Forget"/> it.</param>
    /// <param name="kind">Why the references could not be resolved.</param>
    /// <param name="error">The reason, readable.</param>
    public ResourceReferences? Resolve(Measurement measurement, List<FhirResource> output, List<(string Device, string Patient)> emitted, out DeadLetterKind kind, out string? error)
    {
        kind = DeadLetterKind.Unknown;
        if (string.IsNullOrWhiteSpace(measurement.PatientId))
        {
            kind = DeadLetterKind.PatientIdentityNotDefined;
            error = "PatientIdentityNotDefined: the device mapping extracted no patient id, which Create mode requires.";
            return null;
        }

        if (_known.TryGetValue((measurement.DeviceId, measurement.PatientId), out ResourceReferences? known))
        {
            error = null;
            return known;
        }

        if (LinkedPatient(measurement.DeviceId) is string linked && !string.Equals(linked, measurement.PatientId, StringComparison.Ordinal))
        {
            kind = DeadLetterKind.PatientDeviceMismatch;
            error = "PatientDeviceMismatch: the Device is linked to another patient than the one in the message.";
            return null;
        }

        string patientId = DeterministicId.ForPatient(measurement.PatientId);
        string deviceId = DeterministicId.ForDevice(measurement.DeviceId, _system);
        var references = new ResourceReferences(patientId, deviceId);
        _known.Add((measurement.DeviceId, measurement.PatientId), references);
        _linkedTo[measurement.DeviceId] = measurement.PatientId;
        _toSave.Add((measurement.DeviceId, measurement.PatientId));
        emitted.Add((measurement.DeviceId, measurement.PatientId));
        output.Add(IdentityResources.Patient(patientId, measurement.PatientId));
        output.Add(IdentityResources.Device(deviceId, measurement.DeviceId, _system, patientId));
        error = null;
        return references;
    }

    /// <summary>Forgets pairs whose resources were dropped (their message was rolled back), so they are emitted again.</summary>
    public void Forget(List<(string Device, string Patient)> pairs)
    {
        foreach ((string Device, string Patient) pair in pairs)
        {
            _known.Remove(pair);
            _linkedTo.Remove(pair.Device);
            _toSave.Remove(pair);
        }
    }

    /// <summary>After a pass that threw and is not committed: its new pairs are forgotten, so their resources are emitted again.</summary>
    public void ForgetPass()
    {
        foreach ((string Device, string Patient) pair in _toSave)
        {
            _known.Remove(pair);
            _linkedTo.Remove(pair.Device);
        }

        _toSave.Clear();
    }

    /// <summary>Keeps this pass's new links in the store, in the stage's commit transaction.</summary>
    public void SaveLinks(SqliteConnection connection, SqliteTransaction transaction, DateTime now)
    {
        foreach ((string device, string patient) in _toSave)
        {
            ResourceReferences references = _known[(device, patient)];
            IdentityCacheTable.Upsert(connection, transaction, device, patient, null, new IdentityCacheEntry(references.PatientId, references.DeviceId, null, now));
        }

        _toSave.Clear();
    }

    private string? LinkedPatient(string device)
    {
        if (_linkedTo.TryGetValue(device, out string? patient))
        {
            return patient;
        }

        patient = _connection is null ? null : IdentityCacheTable.FindLinkedPatient(_connection, device)?.PatientKey;
        // A row without a patient key was written in a Lookup mode (the message named no patient): it links nothing.
        if (patient is not { Length: > 0 })
        {
            return null;
        }

        _linkedTo[device] = patient;
        return patient;
    }
}
