using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Identity;

/// <summary>
/// Persist's answer to a refusal that says a referenced Patient, Device or Encounter does not exist (the server was
/// restored, emptied or replaced, or the Patient deleted): the cached identity is wrong, not the record. It posts the
/// key to <see cref="IdentityInvalidations"/> (Map resolves the device again for later messages), resolves the key
/// against the server now, and then:
/// <list type="bullet">
/// <item>Create mode: writes the Patient and Device the resolution emits (deterministic ids, so the same ones again)
/// through the sink, and retries the record when its references are the resolved ones.</item>
/// <item>Lookup modes: the references the server holds now; when they differ from the record's, its device message
/// goes back to the inbox to be mapped again (it is then written after messages of its device received later: the one
/// exception to per-device order, for a record whose references had to change).</item>
/// <item>Otherwise (the server still lacks them, or the identity cannot be resolved at all) a dead letter.</item>
/// </list>
/// </summary>
public sealed class ReferenceRepair
{
    private readonly IIdentityResolver _resolver;
    private readonly IdentityInvalidations _invalidations;
    private readonly bool _create;

    /// <summary>Creates the repair over the FHIR server the sink writes to.</summary>
    public ReferenceRepair(FhirClient client, PipelineOptions options, IdentityInvalidations invalidations)
    {
        ArgumentNullException.ThrowIfNull(options);
        _invalidations = invalidations;
        _create = options.ResolutionType == IdentityResolutionType.Create;
        _resolver = _create
            ? new CreateIdentityResolver(client, options.DefaultDeviceIdentifierSystem)
            : new LookupIdentityResolver(client, options.ResolutionType, options.DefaultDeviceIdentifierSystem);
    }

    /// <summary>Resolves <paramref name="record"/>'s identity again and says what to do with it.</summary>
    internal async Task<ReferenceRepairOutcome> RepairAsync(OutboxRecord record, SendFailureDetails refusal, IResourceSink sink, CancellationToken cancellationToken)
    {
        _invalidations.Post(record.DeviceId, record.PatientId, record.EncounterId);
        IdentityOutcome outcome = await _resolver.ResolveAsync(record.DeviceId, record.PatientId, record.EncounterId, cancellationToken).ConfigureAwait(false);
        if (outcome.IsTransient)
        {
            return new ReferenceRepairOutcome(ReferenceRepairAction.Wait, "Resolving the identity again failed: " + outcome.Error);
        }

        if (outcome.References is not { } references)
        {
            return new ReferenceRepairOutcome(ReferenceRepairAction.DeadLetter, "The identity cannot be resolved again: " + outcome.Error);
        }

        bool same = Covers(references, refusal.MissingReferences);
        if (_create && outcome.Emit.Count > 0)
        {
            var identities = new List<OutboxRecord>(outcome.Emit.Count);
            foreach (FhirResource resource in outcome.Emit)
            {
                identities.Add(new OutboxRecord { DeviceId = record.DeviceId, Kind = OutboxKind.Identity, ResourceType = resource.ResourceType, ResourceId = resource.Id, Body = resource.Json, PatientId = record.PatientId, EncounterId = record.EncounterId });
            }

            SinkResult written = await sink.WriteAsync(identities, cancellationToken).ConfigureAwait(false);
            if (!written.IsSuccessful)
            {
                SendFailureDetails failure = written.Failed[0].Details;
                return new ReferenceRepairOutcome(failure.WaitsForever ? ReferenceRepairAction.Wait : ReferenceRepairAction.DeadLetter, "Writing the identity again failed: " + failure.Message);
            }
        }

        if (same)
        {
            return _create
                ? new ReferenceRepairOutcome(ReferenceRepairAction.Retry, "Patient and Device written again.")
                : new ReferenceRepairOutcome(ReferenceRepairAction.DeadLetter, "A fresh lookup finds the same references, which the server does not have.");
        }

        return record.Source is null
            ? new ReferenceRepairOutcome(ReferenceRepairAction.DeadLetter, "The server's identities changed and the resource has no device message to map again.")
            : new ReferenceRepairOutcome(ReferenceRepairAction.Remap, "The server's identities changed: the device message is mapped again.");
    }

    /// <summary>True when every missing reference (e.g. <c>Patient/x</c>) is one of <paramref name="references"/>.</summary>
    private static bool Covers(ResourceReferences references, IReadOnlyList<string> missing)
    {
        foreach (string reference in missing)
        {
            int slash = reference.IndexOf('/', StringComparison.Ordinal);
            string id = reference[(slash + 1)..];
            bool known = reference.AsSpan(0, slash) switch
            {
                "Patient" => id == references.PatientId,
                "Device" => id == references.DeviceId,
                "Encounter" => id == references.EncounterId,
                _ => false,
            };
            if (!known)
            {
                return false;
            }
        }

        return true;
    }
}
