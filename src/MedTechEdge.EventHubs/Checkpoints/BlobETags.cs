using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace MedTechEdge.EventHubs.Checkpoints;

/// <summary>The ownership blob's ETag as the processor's opaque version, and the conditional writes around it.</summary>
internal static class BlobETags
{
    /// <summary>
    /// The version the processor keeps: the ETag without its quotes, as the SDK's store hands it out (it trims them,
    /// "the current storage SDK returns it enclosed in double quotes"), so a version reads the same whichever store made it.
    /// </summary>
    public static string? ToVersion(ETag? etag) => etag?.ToString().Trim('"');

    /// <summary>The version back as an HTTP entity tag, quoted (RFC 9110 section 8.8.3).</summary>
    public static ETag FromVersion(string version) => new("\"" + version.Trim('"') + "\"");

    /// <summary>
    /// A conditional write lost to another writer: 412 (ConditionNotMet, If-Match on a changed blob, or If-None-Match
    /// on one that exists) or 409 BlobAlreadyExists (the service's other answer to a create that found a blob).
    /// </summary>
    public static bool IsLostRace(RequestFailedException ex) =>
        ex.Status == 412 || ex.ErrorCode == BlobErrorCode.ConditionNotMet || ex.ErrorCode == BlobErrorCode.BlobAlreadyExists;

    /// <summary>Creates (or, without conditions, replaces) an empty block blob carrying <paramref name="metadata"/>.</summary>
    public static async Task<BlobContentInfo> UploadEmptyAsync(
        BlobClient blob, IDictionary<string, string> metadata, BlobRequestConditions? conditions, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions { Metadata = metadata, Conditions = conditions };
        return (await blob.UploadAsync(BinaryData.Empty, options, cancellationToken).ConfigureAwait(false)).Value;
    }
}
