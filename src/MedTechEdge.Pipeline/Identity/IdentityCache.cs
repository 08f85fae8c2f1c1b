using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Pipeline.Identity;

/// <summary>
/// The Map stage's view of Lookup results: in memory, backed by the store's <c>identity</c> table (which survives a
/// restart), keyed by (device, patient, encounter), and trusted for a configured time. A key neither holds is noted
/// as missing; the stage then resolves the missing keys against the server and maps its batch again.
/// Permanent failures (no such Device, …) are remembered in memory for <c>failureExpiry</c>, so a device the server
/// does not know costs one search per interval rather than one per batch, and a Device created on the server later is
/// found once the interval has passed.
/// </summary>
/// <param name="createsDevices">Create mode: a Device the server does not have yet is created by this stage, so a second
/// patient for it before the first write lands is caught here (the server cannot see it yet).</param>
internal sealed class IdentityCache(TimeSpan expiry, TimeSpan failureExpiry, bool createsDevices = false)
{
    // A gateway serves a bounded set of devices; the cap only guards against a mapping that invents keys.
    private const int MaxEntries = 100_000;

    private readonly Dictionary<(string Device, string? Patient, string? Encounter), IdentityCacheEntry> _memory = [];
    private readonly HashSet<(string Device, string? Patient, string? Encounter)> _missing = [];
    private readonly Dictionary<(string Device, string? Patient, string? Encounter), IdentityOutcome> _failures = [];
    private readonly Dictionary<(string Device, string? Patient, string? Encounter), (IdentityOutcome Outcome, DateTime UntilUtc)> _knownFailures = [];
    private readonly List<((string Device, string? Patient, string? Encounter) Key, IdentityCacheEntry Entry)> _toSave = [];
    private readonly List<(FhirResource Resource, (string Device, string? Patient, string? Encounter) Key)> _toEmit = [];
    // Keys a server refused (IdentityInvalidations): not read from the table again, and their rows marked stale at the next
    // commit (kept: they still record which patient the device is linked to).
    private readonly HashSet<(string Device, string? Patient, string? Encounter)> _invalidated = [];
    private readonly List<(string Device, string? Patient, string? Encounter)> _toMarkStale = [];
    private SqliteConnection? _connection;
    private DateTime _notBefore;
    private DateTime _now;

    /// <summary>True when the last pass met keys that are not resolved yet.</summary>
    public bool HasMissing => _missing.Count > 0;

    /// <summary>Starts a mapping pass over a batch: store reads go through <paramref name="connection"/>.</summary>
    public void BeginPass(SqliteConnection connection, DateTime now)
    {
        _connection = connection;
        _notBefore = now - expiry;
        _now = now;
        _missing.Clear();
    }

    /// <summary>
    /// The references for <paramref name="measurement"/>, or the permanent error of its lookup (with the kind the
    /// managed service gave it). False when the key is not resolved yet.
    /// </summary>
    public bool TryGet(Measurement measurement, out ResourceReferences? references, out DeadLetterKind kind, out string? error)
    {
        var key = (measurement.DeviceId, measurement.PatientId, measurement.EncounterId);
        references = null;
        kind = DeadLetterKind.Unknown;
        error = null;
        if (!_failures.TryGetValue(key, out IdentityOutcome failure)
            && _knownFailures.TryGetValue(key, out (IdentityOutcome Outcome, DateTime UntilUtc) known)
            && known.UntilUtc > _now)
        {
            failure = known.Outcome;
        }

        if (failure.ErrorKind is not null)
        {
            kind = failure.ErrorKind.Value;
            error = DeadLetterKinds.Name(kind) + ": " + failure.Error;
            return true;
        }

        if (!_memory.TryGetValue(key, out IdentityCacheEntry? entry) || entry.ResolvedUtc < _notBefore)
        {
            entry = _invalidated.Contains(key) ? null : IdentityCacheTable.Find(_connection!, key.DeviceId, key.PatientId, key.EncounterId, _notBefore);
            if (entry is null)
            {
                _missing.Add(key);
                return false;
            }

            Remember(key, entry);
        }

        references = new ResourceReferences(entry.PatientId, entry.DeviceId, entry.EncounterId);
        return true;
    }

    /// <summary>
    /// Looks up every missing key on the server. Returns null when each has an answer (found, or a permanent error),
    /// or the reason when the server could not answer; nothing is then remembered from this round.
    /// </summary>
    public async Task<string?> ResolveMissingAsync(IIdentityResolver resolver, DateTime now, CancellationToken cancellationToken)
    {
        _failures.Clear();
        var found = new List<((string, string?, string?) Key, IdentityCacheEntry Entry)>(_missing.Count);
        var emit = new List<(FhirResource, (string, string?, string?))>();
        var linked = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string Device, string? Patient, string? Encounter) key in _missing)
        {
            IdentityOutcome outcome = await resolver.ResolveAsync(key.Device, key.Patient, key.Encounter, cancellationToken).ConfigureAwait(false);
            if (outcome.IsTransient)
            {
                _failures.Clear();
                return outcome.Error;
            }

            if (createsDevices && outcome.References is not null && EmitsDevice(outcome)
                && LinkedElsewhere(key.Device, key.Patient, linked))
            {
                // The Device is being created linked to another patient by an earlier message whose write may not have
                // reached the server yet: relinking it would move that patient's data (medtech-semantics §6 step 5).
                outcome = IdentityOutcome.Failed(DeadLetterKind.PatientDeviceMismatch, "The Device is linked to another patient than the one in the message.");
            }

            if (outcome.References is ResourceReferences r)
            {
                linked.TryAdd(key.Device, key.Patient ?? string.Empty);
                found.Add((key, new IdentityCacheEntry(r.PatientId, r.DeviceId, r.EncounterId, now)));
                foreach (FhirResource resource in outcome.Emit)
                {
                    emit.Add((resource, key));
                }
            }
            else
            {
                _failures[key] = outcome;
                if (failureExpiry > TimeSpan.Zero)
                {
                    if (_knownFailures.Count >= MaxEntries)
                    {
                        _knownFailures.Clear();
                    }

                    _knownFailures[key] = (outcome, now + failureExpiry);
                }
            }
        }

        foreach (((string, string?, string?) key, IdentityCacheEntry entry) in found)
        {
            _invalidated.Remove(key);
            Remember(key, entry);
            _toSave.Add((key, entry));
        }

        _toEmit.AddRange(emit);

        _missing.Clear();
        return null;
    }

    /// <summary>
    /// The Patients and Devices (Create mode) this batch's new results need written, in order, ahead of the
    /// Observations; handed out once, with <see cref="SaveResolved"/> in the same transaction.
    /// </summary>
    public List<(FhirResource Resource, (string Device, string? Patient, string? Encounter) Key)> Emitted => _toEmit;

    /// <summary>Writes this batch's new results to the store, in the stage's commit transaction.</summary>
    public void SaveResolved(SqliteConnection connection, SqliteTransaction transaction)
    {
        foreach ((string Device, string? Patient, string? Encounter) key in _toMarkStale)
        {
            // Before the upserts: a key refused and resolved again in this batch keeps its new row.
            IdentityCacheTable.MarkStale(connection, transaction, key.Device, key.Patient ?? string.Empty, key.Encounter ?? string.Empty);
        }

        _toMarkStale.Clear();
        foreach (((string Device, string? Patient, string? Encounter) key, IdentityCacheEntry entry) in _toSave)
        {
            IdentityCacheTable.Upsert(connection, transaction, key.Device, key.Patient, key.Encounter, entry);
        }

        _toSave.Clear();
        _toEmit.Clear();
        _failures.Clear();
    }

    private static bool EmitsDevice(IdentityOutcome outcome)
    {
        foreach (FhirResource resource in outcome.Emit)
        {
            if (resource.ResourceType == "Device")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when this stage linked <paramref name="device"/> to another patient (by the business id the messages named),
    /// this round or before, stale rows included: the Device it created may not be on the server (not yet, or no more,
    /// after a restore), and creating it again for another patient would move the first patient's data. A device the
    /// server already holds is judged by the server's link instead (this is asked only when a Device is to be created).
    /// </summary>
    private bool LinkedElsewhere(string device, string? patient, Dictionary<string, string> linkedThisRound)
    {
        patient ??= string.Empty;
        if (linkedThisRound.TryGetValue(device, out string? earlier))
        {
            return !string.Equals(earlier, patient, StringComparison.Ordinal);
        }

        return _connection is not null && IdentityCacheTable.FindLinkedPatient(_connection, device) is { } stored
            && stored.PatientKey.Length > 0
            && !string.Equals(stored.PatientKey, patient, StringComparison.Ordinal);
    }

    /// <summary>Forgets a key the server refused: it is resolved again when next met (see <see cref="IdentityInvalidations"/>).</summary>
    public void Invalidate((string Device, string? Patient, string? Encounter) key)
    {
        _memory.Remove(key);
        _knownFailures.Remove(key);
        _invalidated.Add(key);
        _toMarkStale.Add(key);
    }

    private void Remember((string, string?, string?) key, IdentityCacheEntry entry)
    {
        if (_memory.Count >= MaxEntries)
        {
            _memory.Clear();
        }

        _memory[key] = entry;
    }
}
