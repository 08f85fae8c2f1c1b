using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedTechEdge.Configuration;
using MedTechEdge.Hosting;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Pipeline.Sinks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.IotEdge;

/// <summary>
/// Configuration through the module twin. At every connection the whole twin is read (desired updates made while the
/// module was away are not replayed), and each desired patch is merged into it. A desired configuration is checked
/// twice before it replaces the running one: on its own (<see cref="DesiredConfiguration"/>: secrets, unknown keys,
/// mapping errors with line and position), then by building a trial host with it, which runs every check a start
/// runs. Accepted, it is saved next to the store and the module restarts in-process on it; refused, the module keeps
/// running as it is. Either way the outcome goes to reported properties under <c>configuration</c>, and the status
/// under <c>status</c>, also every <c>EdgeHub:ReportInterval</c>.
/// </summary>
internal sealed partial class ModuleTwinSync(ModuleArguments arguments, ModuleRestart restart, ModuleStatus status, MedTechEdgeOptions options, TimeProvider clock, ILogger<ModuleTwinSync> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private EdgeModuleClient? _client;
    private JsonObject? _desired;
    private long _desiredVersion = -1;
    private int _rereadWanted;
    private Task _reportLoop = Task.CompletedTask;
    private ConfigurationOutcome _outcome = new(arguments.Twin?.Version, arguments.Twin is null ? "module" : "applied", []);

    /// <summary>The outcome of the last desired configuration looked at, for <c>GetStatus</c>.</summary>
    public ConfigurationOutcome Outcome => Volatile.Read(ref _outcome);

    public void Start(EdgeModuleClient client)
    {
        _client = client;
        _reportLoop = Task.Run(ReportLoopAsync, CancellationToken.None);
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _reportLoop.ConfigureAwait(false);
    }

    /// <summary>After each connection: read the whole twin and act on its desired properties.</summary>
    public async Task OnConnectedAsync(CancellationToken cancellationToken)
    {
        EdgeModuleClient client = _client ?? throw new InvalidOperationException("Not started.");
        JsonObject? desired;
        try
        {
            using JsonDocument twin = await client.GetTwinAsync(cancellationToken).ConfigureAwait(false);
            desired = twin.RootElement.TryGetProperty("desired", out JsonElement d) ? JsonNode.Parse(d.GetRawText()) as JsonObject : null;
        }
        catch (Exception ex) when (ex is MqttNotConnectedException or TimeoutException or ModuleTwinException or JsonException)
        {
            // Read again by the report loop.
            LogTwinUnavailable(ex.Message);
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _desired = desired ?? [];
            _desiredVersion = VersionOf(_desired);
        }
        finally
        {
            _gate.Release();
        }

        await EvaluateAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _rereadWanted, 0) == 1)
        {
            // A patch came while this read was on its way; it may be newer than what was read.
            await OnConnectedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A desired patch: merged into the desired properties read at connection (JSON merge: null removes).</summary>
    public async Task OnDesiredPatchAsync(JsonElement patch, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long version = patch.TryGetProperty("$version", out JsonElement v) && v.TryGetInt64(out long n) ? n : -1;
            if (_desired is null)
            {
                // The full read after connecting has not answered yet, and may have been made before this change:
                // read again once it has.
                Interlocked.Exchange(ref _rereadWanted, 1);
                return;
            }

            if (version >= 0 && version <= _desiredVersion)
            {
                // Already in what was read (a patch queued behind a fresher full read): merging it would go back.
                return;
            }

            Merge(_desired, patch);
            _desiredVersion = version >= 0 ? version : _desiredVersion;
        }
        finally
        {
            _gate.Release();
        }

        await EvaluateAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        ConfigurationOutcome outcome;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (restart.Requested || _desired is null)
            {
                return;
            }

            using JsonDocument document = JsonDocument.Parse(JsonNodeBytes.ToUtf8(_desired));
            JsonElement desired = document.RootElement.Clone();
            long? version = desired.TryGetProperty("$version", out JsonElement v) && v.TryGetInt64(out long n) ? n : null;
            outcome = Decide(desired, version);
        }
        finally
        {
            _gate.Release();
        }

        Volatile.Write(ref _outcome, outcome);
        await ReportAsync(cancellationToken).ConfigureAwait(false);
        if (outcome.State == "restarting")
        {
            LogRestarting(outcome.DesiredVersion?.ToString(CultureInfo.InvariantCulture) ?? "?");
            restart.Request("desired properties version " + outcome.DesiredVersion);
        }
    }

    private ConfigurationOutcome Decide(JsonElement desired, long? version)
    {
        if (!DesiredConfiguration.TryRead(desired, out DesiredConfiguration? configuration, out List<DesiredConfigurationError> errors))
        {
            LogRejected(version?.ToString(CultureInfo.InvariantCulture) ?? "?", errors.Count);
            return new ConfigurationOutcome(version, "rejected", errors);
        }

        if (configuration!.IsEmpty)
        {
            if (arguments.Twin is null)
            {
                return new ConfigurationOutcome(version, "module", []);
            }

            TwinLayer.Delete(arguments.TwinFolder);
            return new ConfigurationOutcome(version, "restarting", []);
        }

        if (arguments.Twin?.Fingerprint == configuration.Fingerprint)
        {
            return new ConfigurationOutcome(version, "applied", []);
        }

        string? refusal = TryBuild(configuration);
        if (refusal is not null)
        {
            LogRejected(version?.ToString(CultureInfo.InvariantCulture) ?? "?", 1);
            return new ConfigurationOutcome(version, "rejected", [new DesiredConfigurationError("configuration", refusal)]);
        }

        TwinLayer.Save(arguments.TwinFolder, configuration);
        return new ConfigurationOutcome(version, "restarting", []);
    }

    /// <summary>Builds (never starts) a host on the candidate: null when the module would start with it, else why not.</summary>
    private string? TryBuild(DesiredConfiguration configuration)
    {
        string trial = Path.Combine(Path.GetTempPath(), "medtechedge-twin-trial-" + Guid.NewGuid().ToString("N"));
        try
        {
            TwinLayer.Save(trial, configuration);
            using IHost host = ModuleHost.Build(arguments.Args, trial);
            // The sink is made on first use; make it now, it checks its own settings. Not the EdgeHub sink: it is
            // the edgeHub connection itself (checked by Build), and making it would open the live store a second time.
            if (host.Services.GetRequiredService<MedTechEdgeOptions>().Sink != SinkKind.EdgeHub)
            {
                host.Services.GetRequiredService<IResourceSink>();
            }

            return null;
        }
        catch (ModuleStartupException ex)
        {
            return ex.Message;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Anything else a trial start-up throws is a refusal too, reported, never a crash of the twin handler.
            return ex.GetType().Name + ": " + ex.Message;
        }
        finally
        {
            Directory.Delete(trial, recursive: true);
        }
    }

    private async Task ReportLoopAsync()
    {
        CancellationToken stopping = _stopping.Token;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(options.EdgeHub.ReportInterval, clock, stopping).ConfigureAwait(false);
                if (_client is { IsConnected: true } && _desired is null)
                {
                    await OnConnectedAsync(stopping).ConfigureAwait(false);
                }
                else
                {
                    await ReportAsync(stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes <c>configuration</c> and <c>status</c> to the reported properties; an unreachable edgeHub is logged, not thrown.</summary>
    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        if (_client is not { } client)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("configuration");
            Outcome.Write(writer, arguments.Twin?.Version);
            writer.WritePropertyName("status");
            status.Write(writer);
            writer.WriteEndObject();
        }

        try
        {
            await client.UpdateReportedPropertiesAsync(buffer.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttNotConnectedException or TimeoutException or ModuleTwinException)
        {
            LogReportFailed(ex.Message);
        }
    }

    private static long VersionOf(JsonObject desired) =>
        desired["$version"] is JsonValue value && value.TryGetValue(out long version) ? version : -1;

    private static void Merge(JsonObject target, JsonElement patch)
    {
        foreach (JsonProperty property in patch.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                target.Remove(property.Name);
            }
            else if (property.Value.ValueKind == JsonValueKind.Object && target[property.Name] is JsonObject inner)
            {
                Merge(inner, property.Value);
            }
            else
            {
                target[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "The module twin could not be read ({Reason}); trying again later.")]
    private partial void LogTwinUnavailable(string reason);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Desired properties version {Version} refused ({Count} errors, see reported properties 'configuration'); the module keeps its running configuration.")]
    private partial void LogRejected(string version, int count);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "Applying desired properties version {Version}: restarting the pipeline.")]
    private partial void LogRestarting(string version);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "Reported properties could not be written ({Reason}); trying again later.")]
    private partial void LogReportFailed(string reason);
}

/// <summary>What became of the desired configuration: <c>module</c> (none given), <c>applied</c>, <c>rejected</c>, <c>restarting</c>.</summary>
internal sealed record ConfigurationOutcome(long? DesiredVersion, string State, IReadOnlyList<DesiredConfigurationError> Errors)
{
    public void Write(Utf8JsonWriter writer, long? appliedVersion)
    {
        writer.WriteStartObject();
        writer.WriteString("state", State);
        WriteVersion(writer, "desiredVersion", DesiredVersion);
        WriteVersion(writer, "appliedVersion", appliedVersion);
        if (Errors.Count == 0)
        {
            // Reported properties are merged: null removes the errors of an earlier refusal.
            writer.WriteNull("errors");
        }
        else
        {
            writer.WriteStartArray("errors");
            foreach (DesiredConfigurationError error in Errors)
            {
                writer.WriteStartObject();
                writer.WriteString("place", error.Place);
                writer.WriteNumber("line", error.Line);
                writer.WriteNumber("position", error.Position);
                writer.WriteString("message", error.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteVersion(Utf8JsonWriter writer, string name, long? version)
    {
        if (version is long v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
