using System.Globalization;
using System.Reflection;
using System.Text.Json;
using MedTechEdge.Configuration;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace MedTechEdge.Hosting;

/// <summary>
/// What the module says about itself to operators: version, uptime, backlog in the store, stage counters, the
/// edgeHub connection and the last error. Written into the twin's reported properties and answered by <c>GetStatus</c>.
/// </summary>
internal sealed class ModuleStatus(IServiceProvider services, MedTechStore store, MedTechEdgeOptions options, TimeProvider clock)
{
    private static readonly string s_version = typeof(ModuleStatus).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
    private readonly DateTime _startedUtc = clock.GetUtcNow().UtcDateTime;

    /// <summary>The module's version (informational version of the assembly).</summary>
    public static string Version => s_version;

    /// <summary>Writes the status as one JSON object.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        DateTime now = clock.GetUtcNow().UtcDateTime;
        writer.WriteStartObject();
        writer.WriteString("version", s_version);
        writer.WriteString("startedUtc", _startedUtc.ToString("o", CultureInfo.InvariantCulture));
        writer.WriteNumber("uptimeSeconds", (long)(now - _startedUtc).TotalSeconds);
        writer.WriteString("sink", options.Sink.ToString());
        if (services.GetService<Observability.ModuleReadiness>() is { } readiness)
        {
            // The same answer as /readyz, for an operator who sees only the twin; one string, as twins take arrays poorly.
            IReadOnlyList<string> reasons = readiness.Check();
            writer.WriteBoolean("ready", reasons.Count == 0);
            writer.WriteString("notReady", reasons.Count == 0 ? null : string.Join("; ", reasons));
        }

        WriteBacklog(writer);
        writer.WriteStartObject("counters");
        if (services.GetService<MapStage>() is { } map)
        {
            writer.WriteNumber("mapped", map.MappedCount);
            writer.WriteNumber("deadLettered", map.DeadLetteredCount);
        }

        if (services.GetService<PersistStage>() is { } persist)
        {
            writer.WriteNumber("persisted", persist.PersistedCount);
        }

        writer.WriteEndObject();
        if (services.GetService<IotEdge.EdgeHubService>() is { } edgeHub)
        {
            writer.WriteBoolean("edgeHubConnected", edgeHub.Client.IsConnected);
        }

        if (services.GetService<LastErrorLog>()?.Last is { } last)
        {
            writer.WriteStartObject("lastError");
            writer.WriteString("timeUtc", last.TimeUtc.ToString("o", CultureInfo.InvariantCulture));
            writer.WriteString("level", last.Level.ToString());
            writer.WriteString("source", last.Category);
            writer.WriteString("message", last.Message);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("lastError");
        }

        writer.WriteEndObject();
    }

    private void WriteBacklog(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("backlog");
        try
        {
            using SqliteConnection connection = store.OpenConnection();
            writer.WriteNumber("inbox", InboxTable.Count(connection));
            writer.WriteNumber("outbox", OutboxTable.Count(connection));
            writer.WriteNumber("deadLetters", DeadLetterTable.Count(connection));
            writer.WriteNumber("openWindows", WindowTable.Count(connection));
        }
        catch (SqliteException ex)
        {
            writer.WriteString("error", ex.Message);
        }

        writer.WriteEndObject();
    }
}
