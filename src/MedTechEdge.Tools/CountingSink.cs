using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;

namespace MedTechEdge.Tools;

/// <summary>
/// The module's sink with a count of what it accepted, by resource type: the replay summary says how many
/// Observations were written, which the Persist stage's one total cannot.
/// </summary>
internal sealed class CountingSink(IResourceSink inner) : IResourceSink
{
    private readonly Dictionary<string, long> _written = new(StringComparer.Ordinal);

    public string Name => inner.Name;

    public async Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        SinkResult result = await inner.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded.Count > 0)
        {
            // Persist lanes write in parallel.
            lock (_written)
            {
                foreach (OutboxRecord record in result.Succeeded)
                {
                    _written[record.ResourceType] = _written.GetValueOrDefault(record.ResourceType) + 1;
                }
            }
        }

        return result;
    }

    /// <summary>Resources written so far, by type, in name order.</summary>
    public SortedDictionary<string, long> Written()
    {
        lock (_written)
        {
            return new SortedDictionary<string, long>(_written, StringComparer.Ordinal);
        }
    }
}
