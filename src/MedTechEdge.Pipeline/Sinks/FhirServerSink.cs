using MedTechEdge.Fhir.Client;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>
/// Writes a batch to a FHIR server as one transaction Bundle of <c>PUT {type}/{id}</c> entries: one
/// round trip for many resources, all or nothing (FHIR R4 http.html#transaction). PUT with the
/// deterministic id makes a replay an update of the same resource (http.html#update), never a duplicate.
/// </summary>
public sealed class FhirServerSink : IResourceSink
{
    private readonly FhirClient _client;

    /// <summary>Creates the sink over a configured client.</summary>
    public FhirServerSink(FhirClient client)
    {
        _client = client;
    }

    /// <inheritdoc/>
    public string Name => "fhir";

    /// <inheritdoc/>
    public async Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var bundle = new FhirTransactionBuilder(FhirBundleType.Transaction);
        for (int i = 0; i < batch.Count; i++)
        {
            OutboxRecord record = batch[i];
            bundle.AddPut(record.ResourceType, record.ResourceId, record.Body);
        }

        FhirResponse response;
        try
        {
            response = await _client.TransactionAsync(bundle.Build(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // No token (identity service unreachable, or credentials refused): the data is fine and
            // waits in the outbox; the reason is logged by the Persist stage.
            return new SinkResult(SinkOutcome.Transient, "Could not obtain an access token: " + ex.Message);
        }

        return response.FailureKind switch
        {
            FhirFailureKind.None => SinkResult.Success,
            // The request itself is wrong: the same content will never be accepted.
            FhirFailureKind.Invalid => new SinkResult(SinkOutcome.Rejected, Describe(response)),
            // Outages, throttling, expired credentials, a misrouted base URL, version races: the data
            // is fine and stays in the outbox until the server takes it.
            _ => new SinkResult(SinkOutcome.Transient, Describe(response)),
        };
    }

    private static string Describe(FhirResponse response) =>
        response.TransportError is { } transport
            ? $"{response.FailureKind}: {transport.Message}"
            : $"HTTP {response.StatusCode} {response.FailureKind}: {response.Outcome?.ToString() ?? "no OperationOutcome"}";
}
