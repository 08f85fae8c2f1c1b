using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Pipeline.Identity;
using MedTechEdge.Storage;

namespace MedTechEdge.Tools;

/// <summary>
/// Identity resolution for the debugger, per resolution type (docs/medtech-semantics.md §6). Create derives the ids the
/// module derives without a server. The Lookup modes need the server: without <c>--fhir-url</c> the Observations get
/// placeholders naming what the module would look up at persist time, and the searches are listed; with it, the
/// module's own Lookup resolver makes them, read-only. Each key is resolved once, as the module's cache does.
/// </summary>
internal sealed class DebugIdentities : IDisposable
{
    private readonly MappingDebugRequest _request;
    private readonly HttpClient? _http;
    private readonly IdentityLookup? _lookup;
    private readonly Dictionary<(string, string?, string?), DebugIdentity> _resolved = [];

    public DebugIdentities(MappingDebugRequest request)
    {
        _request = request;
        if (request.FhirUrl is { } url && request.ResolutionType != IdentityResolutionType.Create)
        {
            _http = new HttpClient(new ReadOnlyFhirHandler(new SocketsHttpHandler())) { Timeout = TimeSpan.FromSeconds(30) };
            _lookup = new IdentityLookup(new FhirClient(_http, url), request.ResolutionType, request.DefaultDeviceIdentifierSystem);
        }
    }

    /// <summary>The keys resolved so far, in the order first met.</summary>
    public List<DebugIdentity> Resolved { get; } = [];

    /// <summary>The identity of <paramref name="measurement"/>, resolving its key the first time it is met.</summary>
    public async Task<DebugIdentity> ResolveAsync(Measurement measurement, int message, int index, CancellationToken cancellationToken)
    {
        var key = (measurement.DeviceId, Blank(measurement.PatientId), Blank(measurement.EncounterId));
        if (!_resolved.TryGetValue(key, out DebugIdentity? identity))
        {
            identity = await ResolveKeyAsync(key.DeviceId, key.Item2, key.Item3, message, index, cancellationToken).ConfigureAwait(false);
            _resolved[key] = identity;
            Resolved.Add(identity);
        }

        return identity;
    }

    public void Dispose() => _http?.Dispose();

    private async Task<DebugIdentity> ResolveKeyAsync(string deviceId, string? patientId, string? encounterId, int message, int index, CancellationToken cancellationToken)
    {
        IdentityResolutionType mode = _request.ResolutionType;
        if (mode == IdentityResolutionType.Create)
        {
            // As CreateModeIdentity derives them without a server; with one the module would use what it finds by identifier.
            return patientId is null
                ? Failed(DeadLetterKind.PatientIdentityNotDefined, "Create mode: the device mapping extracted no patient id. In Lookup modes the patient comes from the Device (--resolution-type Lookup).")
                : new DebugIdentity(deviceId, patientId, encounterId, DebugIdentitySource.Derived, new ResourceReferences(DeterministicId.ForPatient(patientId), DeterministicId.ForDevice(deviceId, Blank(_request.DefaultDeviceIdentifierSystem))), [], null);
        }

        IReadOnlyList<string> requests = IdentityLookup.Requests(mode, _request.DefaultDeviceIdentifierSystem, deviceId, patientId, encounterId);
        if (_lookup is null)
        {
            if (mode == IdentityResolutionType.LookupWithEncounter && encounterId is null)
            {
                return Failed(DeadLetterKind.EncounterIdentityNotDefined, "LookupWithEncounter: the device mapping extracted no encounter id.");
            }

            return new DebugIdentity(deviceId, patientId, encounterId, DebugIdentitySource.Placeholder, Placeholders(deviceId, encounterId), requests, null);
        }

        IdentityLookupResult found = await _lookup.ResolveAsync(deviceId, patientId, encounterId, cancellationToken).ConfigureAwait(false);
        if (found.References is { } references)
        {
            return new DebugIdentity(deviceId, patientId, encounterId, DebugIdentitySource.Server, references, requests, null);
        }

        DebugFailure failure = new(message, index, found.ErrorKind ?? DeadLetterKind.Unknown, found.Error ?? "The lookup failed.", found.IsTransient);
        return new DebugIdentity(deviceId, patientId, encounterId, DebugIdentitySource.Server, null, requests, failure);

        DebugIdentity Failed(DeadLetterKind kind, string error) =>
            new(deviceId, patientId, encounterId, mode == IdentityResolutionType.Create ? DebugIdentitySource.Derived : DebugIdentitySource.Placeholder, null, [], new DebugFailure(message, index, kind, error));
    }

    /// <summary>
    /// Stand-ins for the logical ids the server would give, readable in the Observation's references:
    /// <c>Patient/(patient of Device identifier dev-1)</c>. They are not valid FHIR ids, on purpose: nothing can take
    /// them for real ones, and the Observation ids computed from them are not the ones the module will write.
    /// </summary>
    private ResourceReferences Placeholders(string deviceId, string? encounterId)
    {
        string system = string.IsNullOrWhiteSpace(_request.DefaultDeviceIdentifierSystem) ? string.Empty : _request.DefaultDeviceIdentifierSystem + "|";
        return new ResourceReferences(
            $"(patient of Device identifier {system}{deviceId})",
            $"(Device identifier {system}{deviceId})",
            encounterId is null ? null : $"(Encounter identifier {encounterId})");
    }

    private static string? Blank(string? id) => string.IsNullOrWhiteSpace(id) ? null : id;
}
