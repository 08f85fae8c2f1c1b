using System.Collections.Concurrent;

namespace MedTechEdge.Pipeline.Identity;

/// <summary>
/// The channel from Persist to the identity side of Map: identity keys (device, patient, encounter) whose cached
/// references a FHIR server refused (they name a Patient, Device or Encounter it does not have: restored, emptied,
/// replaced). Persist posts from its lanes; Map applies them at the start of each batch, so the next message of that
/// device is resolved again (Lookup modes search again, Create mode emits its Patient and Device again). Thread-safe.
/// </summary>
public sealed class IdentityInvalidations
{
    private readonly ConcurrentQueue<(string Device, string? Patient, string? Encounter)> _keys = new();

    /// <summary>True when nothing is waiting to be applied.</summary>
    public bool IsEmpty => _keys.IsEmpty;

    /// <summary>Marks a key's cached references as refused by the server.</summary>
    public void Post(string deviceId, string? patientId, string? encounterId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        _keys.Enqueue((deviceId, patientId, encounterId));
    }

    /// <summary>
    /// The Map stage's hook, called at the start of a batch: forgets every posted key in <paramref name="cache"/> (its
    /// memory now, its <c>identity</c> row in the next commit, under the store's write lock like every write of Map) and
    /// in <paramref name="createMode"/> (the pairs it emitted).
    /// </summary>
    internal void Apply(IdentityCache? cache, CreateModeIdentity? createMode)
    {
        while (_keys.TryDequeue(out (string Device, string? Patient, string? Encounter) key))
        {
            cache?.Invalidate(key);
            if (key.Patient is not null)
            {
                createMode?.Forget([(key.Device, key.Patient)]);
            }
        }
    }
}
