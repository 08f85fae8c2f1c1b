using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Tests.Sinks;

/// <summary>
/// A FHIR-server-like sink that goes through an outage in phases and checks what a real server would refuse: every
/// Observation's Patient and Device, and every Device's Patient, must have been written before it (or earlier in the
/// same Bundle). Phase 1: the first <c>outageCalls</c> calls fail (connections refused). Phase 2: a Bundle holding a
/// Patient fails (throttled) its first <c>identityFailures</c> times, so identities lag behind what references them.
/// Then everything is written, all or nothing per Bundle. Records arrival order per device.
/// </summary>
internal sealed class PhasedOutageServer(int outageCalls, int identityFailures) : IResourceSink
{
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _identityAttempts = new(StringComparer.Ordinal);
    private int _calls;

    public string Name => "phased";

    /// <summary>Observation ids in the order they arrived, per device.</summary>
    public Dictionary<string, List<string>> ArrivedByDevice { get; } = new(StringComparer.Ordinal);

    /// <summary>Writes that referenced a Patient or Device not written yet (a real server refuses them).</summary>
    public List<string> Violations { get; } = [];

    public int Observations { get; private set; }

    public Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        lock (_written)
        {
            if (++_calls <= outageCalls)
            {
                return Task.FromResult(SinkResult.Failure(batch, new SendFailureDetails(SinkFailureKind.Transient, "connection refused")));
            }

            foreach (OutboxRecord record in batch)
            {
                if (record.Kind == OutboxKind.Identity && record.ResourceType == "Patient"
                    && (_identityAttempts[record.ResourceId] = _identityAttempts.GetValueOrDefault(record.ResourceId) + 1) <= identityFailures)
                {
                    return Task.FromResult(SinkResult.Failure(batch, new SendFailureDetails(SinkFailureKind.Throttled, "429")));
                }
            }

            foreach (OutboxRecord record in batch)
            {
                string patient = "Patient/" + record.PatientId;
                string device = "Device/" + record.DeviceId;
                if (record.ResourceType == "Patient")
                {
                    _written.Add(patient);
                    continue;
                }

                if (!_written.Contains(patient) || (record.ResourceType == "Observation" && !_written.Contains(device)))
                {
                    Violations.Add($"{record.ResourceType}/{record.ResourceId} before its Patient or Device");
                }

                if (record.ResourceType == "Device")
                {
                    _written.Add(device);
                    continue;
                }

                if (!ArrivedByDevice.TryGetValue(record.DeviceId, out List<string>? arrived))
                {
                    ArrivedByDevice[record.DeviceId] = arrived = [];
                }

                arrived.Add(record.ResourceId);
                Observations++;
            }

            return Task.FromResult(SinkResult.Success(batch));
        }
    }
}
