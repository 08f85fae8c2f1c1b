using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>
/// Appends resources to FHIR NDJSON files, one per resource type (<c>Observation.ndjson</c>, ...), the
/// layout of FHIR Bulk Data export. Used when no FHIR server or Event Hub is configured. Each batch is
/// written and flushed to disk before the outbox rows are removed, so a crash can repeat a line (same
/// id, safe to load twice with PUT semantics) but never loses one, and never leaves half a line:
/// a torn tail is cut back to the last newline at start-up.
/// </summary>
public sealed class NdjsonFileSink : IResourceSink, IDisposable
{
    private readonly string _folder;
    private readonly Dictionary<string, FileStream> _files = new(StringComparer.Ordinal);
    // The Persist stage may write several lanes at once; appends to one file must not interleave.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates the sink over <paramref name="folder"/>, created when missing.</summary>
    public NdjsonFileSink(string folder)
    {
        _folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(_folder);
    }

    /// <inheritdoc/>
    public string Name => "ndjson";

    /// <summary>The folder the files are written to.</summary>
    public string Folder => _folder;

    /// <inheritdoc/>
    public async Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var touched = new HashSet<FileStream>();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (OutboxRecord record in batch)
            {
                FileStream file = Open(record.ResourceType);
                // Not cancellable: a line is written whole, or the outbox still holds it.
                await file.WriteAsync(record.Body, CancellationToken.None).ConfigureAwait(false);
                file.WriteByte((byte)'\n');
                touched.Add(file);
            }

            foreach (FileStream file in touched)
            {
                // flushToDisk: the outbox rows are deleted right after this returns.
                file.Flush(flushToDisk: true);
            }

            return SinkResult.Success(batch);
        }
        catch (IOException ex)
        {
            // A full disk or a lost mount: the batch stays in the outbox; lines written before the failure are written
            // again on the retry (same ids, safe to load twice).
            return SinkResult.Failure(batch, new SendFailureDetails(SinkFailureKind.Transient, "Writing NDJSON failed: " + ex.Message));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (FileStream file in _files.Values)
        {
            file.Dispose();
        }

        _files.Clear();
    }

    private FileStream Open(string resourceType)
    {
        if (_files.TryGetValue(resourceType, out FileStream? file))
        {
            return file;
        }

        string path = Path.Combine(_folder, resourceType + ".ndjson");
        file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 64 * 1024);
        TrimTornTail(file);
        file.Seek(0, SeekOrigin.End);
        _files[resourceType] = file;
        return file;
    }

    private static void TrimTornTail(FileStream file)
    {
        // A crash in the middle of a write can leave a last line without its newline; cut it off, the
        // outbox still holds that record and writes it again.
        long length = file.Length;
        if (length == 0)
        {
            return;
        }

        long position = length - 1;
        Span<byte> one = stackalloc byte[1];
        while (position >= 0)
        {
            file.Seek(position, SeekOrigin.Begin);
            if (file.Read(one) == 1 && one[0] == (byte)'\n')
            {
                break;
            }

            position--;
        }

        file.SetLength(position + 1);
    }
}
