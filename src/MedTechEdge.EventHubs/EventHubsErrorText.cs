using System.Text.RegularExpressions;

namespace MedTechEdge.EventHubs;

/// <summary>
/// The words of an SDK or service exception, safe for a log line or the module's status: the SDKs' messages may quote
/// a connection string, a SAS token or an authorization header, and those parts never leave the process.
/// </summary>
public static partial class EventHubsErrorText
{
    private const int MaxLength = 300;

    [GeneratedRegex(@"(SharedAccessKey|SharedAccessSignature|AccountKey|sig|Authorization)\s*[=:]\s*[^;&\s]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Secrets();

    /// <summary><paramref name="message"/> with every secret replaced by <c>***</c>, cut to 300 characters.</summary>
    public static string Mask(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string masked = Secrets().Replace(message, "$1=***");
        return masked.Length > MaxLength ? string.Concat(masked.AsSpan(0, MaxLength), "…") : masked;
    }
}
