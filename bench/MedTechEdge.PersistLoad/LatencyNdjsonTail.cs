using System.Diagnostics;
using System.Text.Json;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// Follows the NDJSON sink's <c>Observation.ndjson</c> as the module appends to it, on a thread of its own that looks
/// for new bytes every millisecond: each complete line is an Observation written (and fsynced: the sink flushes to disk
/// before it drops the outbox rows), timed when this thread first sees it.
/// </summary>
internal sealed class LatencyNdjsonTail : IDisposable
{
    private readonly string _path;
    private readonly LatencyLedger _ledger;
    private readonly Thread _thread;
    private volatile bool _stop;

    public LatencyNdjsonTail(string path, LatencyLedger ledger)
    {
        _path = path;
        _ledger = ledger;
        _thread = new Thread(Follow) { IsBackground = true, Name = "ndjson tail" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    private void Follow()
    {
        while (!_stop && !File.Exists(_path))
        {
            Thread.Sleep(1);
        }

        if (_stop)
        {
            return;
        }

        using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        byte[] buffer = new byte[1 << 20];
        int filled = 0;
        while (!_stop)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            int read = file.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                Thread.Sleep(1);
                continue;
            }

            long seen = Stopwatch.GetTimestamp();
            filled += read;
            int start = 0;
            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', start, filled - start)) >= 0)
            {
                using (JsonDocument line = JsonDocument.Parse(buffer.AsMemory(start, newline - start)))
                {
                    _ledger.Observation(line.RootElement, seen);
                }

                start = newline + 1;
            }

            // A partial last line waits for its end.
            Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
            filled -= start;
        }
    }
}
