using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.EventHubs.Ingress;

/// <summary>
/// Writes the dead letters the ingress itself decides on (an event over <c>MaxEventBytes</c>), in one transaction per
/// batch under <see cref="MedTechStore.WriteLock"/>. They are durable before the batch's checkpoint, like its inbox rows.
/// </summary>
internal sealed class IngressDeadLetters(MedTechStore store) : IDisposable
{
    private SqliteConnection? _connection;

    /// <summary>Writes <paramref name="letters"/>; throws what SQLite throws (the caller tries again).</summary>
    public async Task WriteAsync(List<DeadLetter> letters, CancellationToken cancellationToken)
    {
        await store.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Opened under the lock, on first use: one handler writes at a time, and most batches have no letter at all.
            SqliteConnection connection = _connection ??= store.OpenConnection();
            using SqliteTransaction transaction = connection.BeginTransaction();
            for (int i = 0; i < letters.Count; i++)
            {
                DeadLetterTable.Insert(connection, transaction, letters[i]);
            }

            transaction.Commit();
        }
        finally
        {
            store.WriteLock.Release();
        }
    }

    public void Dispose() => _connection?.Dispose();
}
