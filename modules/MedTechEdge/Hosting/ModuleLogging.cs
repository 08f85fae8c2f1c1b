using System.Collections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace MedTechEdge.Hosting;

/// <summary>
/// The module's log settings on top of the host's console logger. The format is the console logger's own
/// <c>Logging:Console:FormatterName</c> (<c>simple</c>, the default, or <c>json</c> for IoT Edge log collection: one
/// JSON object a line, with scopes and the per-message fields under <c>State</c>); levels are <c>Logging:LogLevel:*</c>.
/// What the module adds: UTC ISO-8601 timestamps when no format is set, and IoT Edge's <c>RuntimeLogLevel</c> as the
/// default level.
/// </summary>
internal static class ModuleLogging
{
    /// <summary>The variable edgeAgent gives every module unless the deployment sets it (protocols.md C.5).</summary>
    public const string RuntimeLogLevelVariable = "RuntimeLogLevel";

    private const string UtcTimestamp = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static void Configure(HostApplicationBuilder builder, IDictionary environment)
    {
        if (ParseRuntimeLogLevel(environment[RuntimeLogLevelVariable] as string) is LogLevel level)
        {
            // Below the environment and the command line, above appsettings.json: RuntimeLogLevel is the device-wide
            // default, and Logging__LogLevel__Default in the module's own env still wins over it.
            IList<IConfigurationSource> sources = ((IConfigurationBuilder)builder.Configuration).Sources;
            int environmentAt = IndexOfEnvironment(sources);
            var runtime = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
            {
                InitialData = [new("Logging:LogLevel:Default", level.ToString())],
            };
            sources.Insert(environmentAt < 0 ? sources.Count : environmentAt, runtime);
        }

        // Timestamps are the collector's only clock once the lines leave the container: UTC, to the millisecond. Only
        // when the configuration sets no format, so an operator's TimestampFormat (and its UseUtcTimestamp) stands.
        builder.Services.Configure<JsonConsoleFormatterOptions>(o => DefaultTimestamp(o, string.Empty));
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o => DefaultTimestamp(o, " "));
    }

    /// <summary>
    /// IoT Edge's level names (those of its runtime: <c>verbose</c>, <c>debug</c>, <c>info</c>, <c>warning</c>,
    /// <c>error</c>, <c>fatal</c>) and the Microsoft.Extensions.Logging names; null for anything else.
    /// </summary>
    public static LogLevel? ParseRuntimeLogLevel(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "verbose" or "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "fatal" or "critical" => LogLevel.Critical,
        _ => null,
    };

    private static int IndexOfEnvironment(IList<IConfigurationSource> sources)
    {
        for (int i = 0; i < sources.Count; i++)
        {
            // The unprefixed one; DOTNET_-prefixed variables configure the host, not logging.
            if (sources[i] is EnvironmentVariablesConfigurationSource { Prefix: null or "" })
            {
                return i;
            }
        }

        return -1;
    }

    private static void DefaultTimestamp(ConsoleFormatterOptions options, string separator)
    {
        if (options.TimestampFormat is null)
        {
            options.TimestampFormat = UtcTimestamp + separator;
            options.UseUtcTimestamp = true;
        }
    }
}
