using System.Diagnostics;
using MedTechEdge.PersistLoad;

namespace MedTechEdge.MqttLoad;

/// <summary>
/// The lines of one NDJSON file the module appends to, counted as it grows: each poll reads only what was added since
/// the last, so waiting for the pipeline to catch up costs this tool little CPU beside the module.
/// </summary>
internal sealed class NdjsonLineCount(string path)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private readonly byte[] _buffer = new byte[256 * 1024];
    private long _offset;
    private long _lines;

    /// <summary>Complete lines in the file now.</summary>
    public long Count()
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        file.Seek(_offset, SeekOrigin.Begin);
        int read;
        while ((read = file.Read(_buffer)) > 0)
        {
            _lines += _buffer.AsSpan(0, read).Count((byte)'\n');
            _offset += read;
        }

        return _lines;
    }

    /// <summary>Waits until the file holds <paramref name="lines"/> lines and returns how long that took; throws past the deadline.</summary>
    public async Task<TimeSpan> WaitForAsync(long lines, ModuleProcess module)
    {
        var clock = Stopwatch.StartNew();
        while (Count() < lines)
        {
            if (module.HasExited || clock.Elapsed > Deadline)
            {
                throw new InvalidOperationException($"The module wrote {_lines:N0} of {lines:N0} Observations in {clock.Elapsed.TotalSeconds:F0} s; its output:\n{module.Output}");
            }

            await Task.Delay(50);
        }

        return clock.Elapsed;
    }
}
