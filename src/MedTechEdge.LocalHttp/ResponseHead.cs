using System.Globalization;
using System.Text;

namespace MedTechEdge.LocalHttp;

/// <summary>Writes a status line and header section (RFC 9112 §4, §5): always HTTP/1.1, the highest version this server speaks (RFC 9110 §6.2).</summary>
internal static class ResponseHead
{
    public static byte[] Write(int status, string? contentType, int contentLength, IReadOnlyList<KeyValuePair<string, string>> fields, bool close, DateTimeOffset now)
    {
        var head = new StringBuilder(256);
        head.Append("HTTP/1.1 ").Append(status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Reason(status)).Append("\r\n");
        // An origin server with a clock sends Date (RFC 9110 §6.6.1), as IMF-fixdate ("r").
        head.Append("Date: ").Append(now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n");
        if (contentType is not null)
        {
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        // Also for HEAD: the length the GET would have sent (RFC 9110 §8.6); never for 1xx, 204 and 304, which have no content.
        if (HasContent(status))
        {
            head.Append("Content-Length: ").Append(contentLength.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }
        foreach (KeyValuePair<string, string> field in fields)
        {
            head.Append(field.Key).Append(": ").Append(field.Value).Append("\r\n");
        }

        if (close)
        {
            head.Append("Connection: close\r\n");
        }

        head.Append("\r\n");
        return Encoding.Latin1.GetBytes(head.ToString());
    }

    /// <summary>Whether an answer with <paramref name="status"/> carries content: not 1xx, 204 or 304 (RFC 9110 §6.4.1).</summary>
    public static bool HasContent(int status) => status is >= 200 and not 204 and not 304;

    /// <summary>The reason phrases of RFC 9110 §15 for the codes this server and its handlers send; empty for others (allowed: RFC 9112 §4).</summary>
    internal static string Reason(int status) => status switch
    {
        200 => "OK",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    };
}
