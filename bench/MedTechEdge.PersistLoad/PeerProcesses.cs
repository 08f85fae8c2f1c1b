using System.Diagnostics;
using System.Globalization;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// The node processes the fixtures start (the FHIR peer, Azurite), found under this process by their command line, so
/// a case can say how much CPU the peers took beside the module: on two cores that decides who waits for whom.
/// </summary>
internal static class PeerProcesses
{
    /// <summary>A process started (directly or not) by this one whose command line contains <paramref name="fragment"/>; null if none.</summary>
    public static Process? Find(string fragment)
    {
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                string commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(fragment, StringComparison.Ordinal) && DescendsFromThisProcess(pid))
                {
                    return Process.GetProcessById(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // The process ended between the listing and the read, or is not ours to read: not a peer of this run.
            }
        }

        return null;
    }

    /// <summary>CPU time of <paramref name="process"/> so far; zero when there is none.</summary>
    public static TimeSpan ProcessorTime(Process? process)
    {
        if (process is null)
        {
            return TimeSpan.Zero;
        }

        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static bool DescendsFromThisProcess(int pid)
    {
        for (int current = pid; current > 1;)
        {
            // /proc/PID/stat is "pid (comm) state ppid …"; comm may hold spaces and parentheses, so read after the last ')'.
            string stat = File.ReadAllText($"/proc/{current.ToString(CultureInfo.InvariantCulture)}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            current = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (current == Environment.ProcessId)
            {
                return true;
            }
        }

        return false;
    }
}
