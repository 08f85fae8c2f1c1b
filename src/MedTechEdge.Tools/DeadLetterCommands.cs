using System.Globalization;
using System.Text;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace MedTechEdge.Tools;

/// <summary>
/// <c>deadletters list | show &lt;id&gt; | requeue (--all | &lt;id&gt;)</c>: look at what could not be
/// delivered and, once the mapping or the data is fixed, send it through the pipeline again. The store
/// is the module's own (<c>MedTechEdge:Store:Path</c> from appsettings.json and the environment), or <c>--store</c>.
/// </summary>
internal static class DeadLetterCommands
{
    public static int Run(ToolArguments args, TextWriter stdout, TextWriter stderr)
    {
        string path = args.Option("--store") ?? ConfiguredStorePath();
        if (!File.Exists(path))
        {
            return ToolCommands.Fail(stderr, $"no store at '{Path.GetFullPath(path)}' (set --store or MedTechEdge__Store__Path).");
        }

        MedTechStore store = MedTechStore.Open(new StoreOptions { Path = path });
        using SqliteConnection connection = store.OpenConnection();
        return args.Positional(1, "list, show or requeue") switch
        {
            "list" => List(connection, stdout),
            "show" => Show(connection, Id(args), args.Has("--raw"), stdout, stderr),
            "requeue" => Requeue(connection, args, stdout, stderr),
            string other => ToolCommands.Fail(stderr, $"unknown deadletters command '{other}'."),
        };
    }

    private static int List(SqliteConnection connection, TextWriter stdout)
    {
        var letters = new List<DeadLetter>();
        DeadLetterTable.List(connection, int.MaxValue, letters);
        // The list leaves bodies out: `show` prints one message in full.
        ToolJson.Print(stdout, writer =>
        {
            writer.WriteStartArray();
            foreach (DeadLetter letter in letters)
            {
                writer.WriteStartObject();
                DeadLetterJson.WriteSummary(writer, letter);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
        return 0;
    }

    /// <summary>The letter with its body as JSON, or with <paramref name="raw"/> the body alone, byte for byte.</summary>
    private static int Show(SqliteConnection connection, long id, bool raw, TextWriter stdout, TextWriter stderr)
    {
        DeadLetter? letter = DeadLetterTable.Find(connection, id);
        if (letter is null)
        {
            return ToolCommands.Fail(stderr, $"no dead letter {id}.");
        }

        if (raw)
        {
            RawBody.Write(stdout, letter.Message.Body);
            return 0;
        }

        ToolJson.Print(stdout, writer => DeadLetterJson.WriteReadable(writer, letter));
        return 0;
    }

    private static int Requeue(SqliteConnection connection, ToolArguments args, TextWriter stdout, TextWriter stderr)
    {
        List<long> ids = args.Has("--all") ? DeadLetterTable.Ids(connection) : [Id(args)];
        int requeued = 0;
        foreach (long id in ids)
        {
            if (DeadLetterTable.Requeue(connection, id, DateTime.UtcNow))
            {
                requeued++;
            }
            else
            {
                stderr.WriteLine($"no dead letter {id}.");
            }
        }

        ToolJson.Print(stdout, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("requeued", requeued);
            writer.WriteEndObject();
        });
        return requeued == ids.Count ? 0 : 1;
    }

    private static long Id(ToolArguments args) =>
        long.TryParse(args.Positional(2, "a dead letter id"), NumberStyles.None, CultureInfo.InvariantCulture, out long id)
            ? id
            : throw new ToolUsageException("a dead letter id is a number (see `deadletters list`).");

    private static string ConfiguredStorePath()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        return configuration["MedTechEdge:Store:Path"] ?? new StoreOptions().Path;
    }
}
