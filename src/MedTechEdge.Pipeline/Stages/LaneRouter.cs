using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>
/// Decides which Persist lane writes an outbox record, so that order is a property of the routing, not of timing
/// (reliability guarantee 6):
/// <list type="number">
/// <item>A device's records in flight are all on one lane, which writes them in order.</item>
/// <item>A record that references an identity (a Patient, Device or Encounter row, <see cref="OutboxKind.Identity"/>)
/// still in flight goes to that identity's lane, behind it. A lane writes in order and removes a row only once
/// written, so the identity reaches the server first, on every retry.</item>
/// <item>When the two rules name different lanes (device X pending on lane 0 references a Patient emitted by device
/// Y on lane 1), the record is held back, and so is every later record of its device, until the conflict is gone.
/// A record that references an identity that is itself held back is held too.</item>
/// </list>
/// Records are matched by the outbox's business-id columns: a record references ('D', its device), ('P', its
/// patient) and ('E', its encounter); an identity row provides the one of its type. Worked example, two lanes:
/// <code>
///   read: 1 Patient P (dev X)  2 Obs (X, P)  3 Obs (Y, P)  4 Obs (Y, Q)
///   1 → lane 0 (lightest), provides P;  2 → lane 0 (device X);  3 → lane 0 (references P in flight on lane 0)
///   4 → lane 0 (device Y is on lane 0 now). Once 1-4 are written, Y may move to another lane.
/// </code>
/// The cost: while an identity is in flight, everything that shares its patient funnels into its lane, and a
/// conflict waits one Bundle round trip. Identities are written once per device and patient, so this is rare.
/// Not thread-safe: the Persist stage calls it under one lock.
/// </summary>
internal sealed class LaneRouter
{
    private readonly int[] _pending;
    private readonly Dictionary<string, (int Lane, int Pending)> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<(char Type, string Id), (int Lane, int Pending)> _identities = [];
    private readonly List<OutboxRecord> _held = [];
    private HashSet<string> _heldDevices = new(StringComparer.Ordinal);
    private HashSet<(char Type, string Id)> _heldIdentities = [];

    public LaneRouter(int laneCount)
    {
        _pending = new int[laneCount];
    }

    /// <summary>Records read but held back, waiting for a conflict to clear.</summary>
    public int HeldCount => _held.Count;

    /// <summary>The records routed to <paramref name="lane"/> and not yet done.</summary>
    public int Pending(int lane) => _pending[lane];

    /// <summary>The lane for a record just read from the outbox, in outbox order; -1 when it is held back.</summary>
    public int Route(OutboxRecord record)
    {
        if (_heldDevices.Contains(record.DeviceId) || ReferencesHeld(record))
        {
            Hold(record);
            return -1;
        }

        int lane = LaneFor(record);
        if (lane < 0)
        {
            Hold(record);
            return -1;
        }

        Assign(record, lane);
        return lane;
    }

    /// <summary>
    /// Routes the held records whose conflicts have cleared, in the order they were read, into <paramref name="routed"/>;
    /// a device's records leave in order (one that must stay keeps every later one of its device).
    /// </summary>
    public void ReleaseHeld(List<(OutboxRecord Record, int Lane)> routed)
    {
        if (_held.Count == 0)
        {
            return;
        }

        var stillDevices = new HashSet<string>(StringComparer.Ordinal);
        var stillIdentities = new HashSet<(char Type, string Id)>();
        _heldDevices = stillDevices;
        _heldIdentities = stillIdentities;
        int kept = 0;
        for (int i = 0; i < _held.Count; i++)
        {
            OutboxRecord record = _held[i];
            int lane = stillDevices.Contains(record.DeviceId) || ReferencesHeld(record) ? -1 : LaneFor(record);
            if (lane < 0)
            {
                _held[kept++] = record;
                MarkHeld(record);
                continue;
            }

            Assign(record, lane);
            routed.Add((record, lane));
        }

        _held.RemoveRange(kept, _held.Count - kept);
    }

    /// <summary>A record was written or dead-lettered: its device and identity may move once none of theirs is in flight.</summary>
    public void Done(OutboxRecord record, int lane)
    {
        Release(_devices, record.DeviceId);
        if (Provides(record) is { } key)
        {
            Release(_identities, key);
        }

        _pending[lane]--;
    }

    private int LaneFor(OutboxRecord record)
    {
        int lane = _devices.TryGetValue(record.DeviceId, out (int Lane, int Pending) device) ? device.Lane : -1;
        if (!Agree(ref lane, ('D', record.DeviceId))
            || (record.PatientId is { } patient && !Agree(ref lane, ('P', patient)))
            || (record.EncounterId is { } encounter && !Agree(ref lane, ('E', encounter))))
        {
            return -1;
        }

        return lane >= 0 ? lane : Lightest();
    }

    /// <summary>False when <paramref name="key"/> is in flight on a lane other than <paramref name="lane"/>; else takes its lane.</summary>
    private bool Agree(ref int lane, (char Type, string Id) key)
    {
        if (!_identities.TryGetValue(key, out (int Lane, int Pending) identity))
        {
            return true;
        }

        if (lane >= 0 && lane != identity.Lane)
        {
            return false;
        }

        lane = identity.Lane;
        return true;
    }

    private void Assign(OutboxRecord record, int lane)
    {
        Take(_devices, record.DeviceId, lane);
        if (Provides(record) is { } key)
        {
            Take(_identities, key, lane);
        }

        _pending[lane]++;
    }

    private void Hold(OutboxRecord record)
    {
        _held.Add(record);
        MarkHeld(record);
    }

    private void MarkHeld(OutboxRecord record)
    {
        _heldDevices.Add(record.DeviceId);
        if (Provides(record) is { } key)
        {
            _heldIdentities.Add(key);
        }
    }

    private bool ReferencesHeld(OutboxRecord record) =>
        _heldIdentities.Count > 0
        && (_heldIdentities.Contains(('D', record.DeviceId))
            || (record.PatientId is { } patient && _heldIdentities.Contains(('P', patient)))
            || (record.EncounterId is { } encounter && _heldIdentities.Contains(('E', encounter))));

    /// <summary>The identity an <see cref="OutboxKind.Identity"/> row writes; null for any other row.</summary>
    private static (char Type, string Id)? Provides(OutboxRecord record) => record.Kind != OutboxKind.Identity ? null : record.ResourceType switch
    {
        "Patient" when record.PatientId is { } patient => ('P', patient),
        "Device" => ('D', record.DeviceId),
        "Encounter" when record.EncounterId is { } encounter => ('E', encounter),
        _ => null,
    };

    private int Lightest()
    {
        int lightest = 0;
        for (int l = 1; l < _pending.Length; l++)
        {
            if (_pending[l] < _pending[lightest])
            {
                lightest = l;
            }
        }

        return lightest;
    }

    private static void Take<TKey>(Dictionary<TKey, (int Lane, int Pending)> map, TKey key, int lane)
        where TKey : notnull
    {
        map[key] = map.TryGetValue(key, out (int Lane, int Pending) entry) ? (entry.Lane, entry.Pending + 1) : (lane, 1);
    }

    private static void Release<TKey>(Dictionary<TKey, (int Lane, int Pending)> map, TKey key)
        where TKey : notnull
    {
        (int Lane, int Pending) entry = map[key];
        if (entry.Pending == 1)
        {
            map.Remove(key);
        }
        else
        {
            map[key] = (entry.Lane, entry.Pending - 1);
        }
    }
}
