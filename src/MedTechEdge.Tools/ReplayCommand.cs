using System.Globalization;
using System.Text;
using System.Text.Json;
using MedTechEdge.Pipeline;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Tools;

/// <summary>
/// <c>replay --input &lt;file|dir&gt; [--format ndjson|json|csv]</c>: historic device messages through the module's own
/// pipeline. The module's host is built from its configuration without any listener, the messages join the inbox through
/// the same group commit as ingest (source <c>replay</c>), and the Map and Persist stages run until inbox and outbox are
/// empty. Input that is not a message (broken JSON, a CSV row of the wrong width) becomes a dead letter naming the file
/// and line; nothing is skipped silently.
/// </summary>
/// <remarks>
/// Run it with the module stopped, or on a store of its own (<c>--store</c>): two processes mapping one inbox would
/// both take the same rows. Exit codes (<see cref="ExitCodes"/>): 0 all delivered; 1 an input it cannot read; 2 a usage
/// error; 3 finished, but some messages are dead letters; 4 the pipeline cannot start (configuration); 130 interrupted
/// (what is in the store is delivered by the next run of the module or of replay).
/// </remarks>
internal static partial class ReplayCommand
{
    public const int DeadLettersExitCode = ExitCodes.DeadLetters;
    public const int InterruptedExitCode = ExitCodes.Interrupted;

    /// <summary>How many dead letters the end of a run names on stderr; the rest are in <c>deadletters list</c>.</summary>
    private const int DeadLettersShown = 20;

    public static async Task<int> RunAsync(ToolArguments args, IModuleHostFactory hosts, TextWriter stdout, TextWriter stderr)
    {
        string input = args.Required("--input");
        string? format = args.Option("--format");
        // Every file's format is settled before anything starts: a wrong name is a usage error, not a half-done run.
        List<(string File, ReplayFormat Format)> plan = ReplayInput.Files(input).ConvertAll(f => (f, ReplayInput.FormatOf(f, format)));
        TimeSpan interval = TimeSpan.FromSeconds(args.Value<double>("--progress"));

        long total = 0;
        foreach ((string file, ReplayFormat fileFormat) in plan)
        {
            total += ReplayInput.Count(file, fileFormat);
        }

        CountingSink? counting = null;
        if (!hosts.TryBuild(HostArguments(args), services => WrapSink(services, sink => counting = sink), out IHost? host, out string? error))
        {
            await stderr.WriteLineAsync("error: the pipeline cannot start: " + error).ConfigureAwait(false);
            return ExitCodes.Configuration;
        }

        using var interrupted = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // Ctrl+C stops feeding and waiting; the host then stops as the module does, keeping the store consistent.
            e.Cancel = true;
            interrupted.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            await host.StartAsync(CancellationToken.None).ConfigureAwait(false);
            var run = new ReplayRun(host.Services, new ReplayProgress(stderr, ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected, interval), total);
            long firstDeadLetter;
            using (SqliteConnection connection = run.Store.OpenConnection())
            {
                firstDeadLetter = DeadLetterTable.MaxId(connection) + 1;
            }

            try
            {
                foreach ((string file, ReplayFormat fileFormat) in plan)
                {
                    foreach (ReplayItem item in ReplayInput.Read(file, fileFormat))
                    {
                        await run.FeedAsync(item, interrupted.Token).ConfigureAwait(false);
                    }
                }

                await run.DrainAsync(interrupted.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
            {
            }

            run.Progress.Finish();
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return Summarize(run, counting!, firstDeadLetter, interrupted.IsCancellationRequested, stdout, stderr);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            host.Dispose();
        }
    }

    /// <summary>
    /// The module's configuration with every listener off (the replay is the only writer of the inbox), logs on stderr
    /// (stdout is the summary) at Error unless the command line says otherwise, and the caller's <c>--Section:Key=value</c> settings.
    /// </summary>
    private static string[] HostArguments(ToolArguments args)
    {
        var host = new List<string>
        {
            "--MedTechEdge:Mqtt:Enabled=false",
            "--MedTechEdge:MqttBroker:Enabled=false",
            "--MedTechEdge:EdgeHub:Enabled=false",
            "--MedTechEdge:Simulator:Enabled=false",
            "--MedTechEdge:Metrics:Enabled=false",
            "--MedTechEdge:Dashboard:Enabled=false",
            // The summary reports each dead letter with its file and line; the Map stage's warnings would say it twice.
            "--Logging:LogLevel:Default=Error",
            "--Logging:Console:LogToStandardErrorThreshold=Trace",
        };
        if (args.Option("--store") is { } store)
        {
            host.Add("--MedTechEdge:Store:Path=" + store);
        }

        // Later ones win: the caller may turn logging up, or point the replay at another FHIR server.
        host.AddRange(args.Settings);
        return [.. host];
    }

    private static void WrapSink(IServiceCollection services, Action<CountingSink> made)
    {
        ServiceDescriptor registered = services.Last(d => d.ServiceType == typeof(IResourceSink));
        services.Remove(registered);
        services.AddSingleton<IResourceSink>(sp =>
        {
            var inner = (IResourceSink)(registered.ImplementationInstance ?? registered.ImplementationFactory!(sp));
            var sink = new CountingSink(inner);
            made(sink);
            return sink;
        });
    }

    private static int Summarize(ReplayRun run, CountingSink counting, long firstDeadLetter, bool interrupted, TextWriter stdout, TextWriter stderr)
    {
        var letters = new List<DeadLetter>();
        using (SqliteConnection connection = run.Store.OpenConnection())
        {
            DeadLetterTable.ListAfter(connection, firstDeadLetter - 1, int.MaxValue, letters);
        }

        SortedDictionary<string, long> written = counting.Written();
        ToolJson.Print(stdout, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("messages", run.Read);
            writer.WriteNumber("measurements", run.Map.MeasurementCount);
            writer.WriteNumber("observations", written.GetValueOrDefault("Observation"));
            writer.WriteNumber("resourcesWritten", run.Persist.PersistedCount);
            writer.WriteStartObject("written");
            foreach ((string type, long count) in written)
            {
                writer.WriteNumber(type, count);
            }

            writer.WriteEndObject();
            writer.WriteNumber("deadLetters", letters.Count);
            writer.WriteNumber("seconds", Math.Round(run.Progress.Elapsed.TotalSeconds, 1));
            if (interrupted)
            {
                writer.WriteBoolean("interrupted", true);
            }

            writer.WriteEndObject();
        });

        for (int i = 0; i < letters.Count && i < DeadLettersShown; i++)
        {
            stderr.WriteLine($"{Where(letters[i])}: dead letter {letters[i].Id}, {letters[i].KindName}: {letters[i].Error}");
        }

        if (letters.Count > DeadLettersShown)
        {
            stderr.WriteLine($"... and {letters.Count - DeadLettersShown} more: MedTechEdge deadletters list");
        }

        if (interrupted)
        {
            stderr.WriteLine("replay: interrupted; what reached the store is delivered by the next run of the module or of replay.");
            return InterruptedExitCode;
        }

        return letters.Count > 0 ? DeadLettersExitCode : 0;
    }

    /// <summary>The file and line a replayed message came from, as its system properties keep them; "-" for another's.</summary>
    private static string Where(DeadLetter letter)
    {
        using JsonDocument system = JsonDocument.Parse(letter.Message.SystemProperties);
        return system.RootElement.TryGetProperty(ReplayRun.FileProperty, out JsonElement file)
            && system.RootElement.TryGetProperty(ReplayRun.LineProperty, out JsonElement line)
            ? $"{file.GetString()}:{line.GetInt32()}"
            : "-";
    }
}
