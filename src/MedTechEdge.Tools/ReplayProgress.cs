using System.Diagnostics;
using System.Globalization;

namespace MedTechEdge.Tools;

/// <summary>
/// The progress of <c>replay</c>: on a terminal one line, rewritten in place a few times a second; otherwise (a log
/// file, a CI job, a pipe) a plain line every <c>interval</c>, since carriage returns make a mess of those.
/// </summary>
internal sealed class ReplayProgress(TextWriter output, bool terminal, TimeSpan interval)
{
    private static readonly TimeSpan s_terminalInterval = TimeSpan.FromMilliseconds(250);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _last;
    private int _width;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Shows where the replay is, when the last showing is long enough ago (or <paramref name="force"/>).</summary>
    /// <param name="done">Messages through the Map stage (mapped or dead-lettered).</param>
    /// <param name="total">Messages in the input, from the pre-count.</param>
    /// <param name="waiting">What the replay waits for, if not Map: the sink, a full store.</param>
    public void Report(long done, long total, string? waiting = null, bool force = false)
    {
        TimeSpan now = _clock.Elapsed;
        if (!force && _last is { } last && now - last < (terminal ? s_terminalInterval : interval))
        {
            return;
        }

        _last = now;
        double rate = now.TotalSeconds > 0 ? done / now.TotalSeconds : 0;
        string eta = rate > 0 && done < total ? Format(TimeSpan.FromSeconds((total - done) / rate)) : done >= total ? "0:00" : "--:--";
        string percent = total > 0 ? (100 * done / total).ToString(CultureInfo.InvariantCulture) : "100";
        string line = string.Create(CultureInfo.InvariantCulture, $"replay: {done:N0}/{total:N0} messages ({percent} %), {rate:N0}/s, ETA {eta}{(waiting is null ? string.Empty : ", " + waiting)}");
        if (terminal)
        {
            // Padded to the last line's width, so a shorter line leaves nothing of the longer one behind.
            output.Write("\r" + line.PadRight(_width));
            _width = line.Length;
        }
        else
        {
            output.WriteLine(line);
        }

        output.Flush();
    }

    /// <summary>Ends the terminal's in-place line, so what follows starts on a line of its own.</summary>
    public void Finish()
    {
        if (terminal && _width > 0)
        {
            output.WriteLine();
        }
    }

    private static string Format(TimeSpan span) => span.TotalHours >= 1
        ? span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : span.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
