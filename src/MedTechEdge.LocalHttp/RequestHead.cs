using System.Text;

namespace MedTechEdge.LocalHttp;

/// <summary>
/// Finds and parses an HTTP/1.1 request head (RFC 9112 §2-§6): the request line, the field lines, and the framing
/// checks a server that reads no content must make. Lines end in CRLF; a lone LF is accepted as the end of a line
/// (RFC 9112 §2.2 allows it), a CR anywhere else is not.
/// </summary>
internal static class RequestHead
{
    /// <summary>
    /// The length of the head at the start of <paramref name="buffer"/>, up to and including the empty line that ends it;
    /// -1 while it is incomplete. <paramref name="scan"/> carries where the search stopped from one call to the next, so
    /// a head that arrives a byte at a time is searched once, not once per byte; start each head with a default one.
    /// </summary>
    public static int FindEnd(ReadOnlySpan<byte> buffer, ref Scan scan)
    {
        while (true)
        {
            int lf = buffer[scan.LineStart..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                return -1;
            }

            int end = scan.LineStart + lf;
            bool empty = end == scan.LineStart || (end == scan.LineStart + 1 && buffer[scan.LineStart] == '\r');
            if (empty && scan.RequestLineEnded)
            {
                return end + 1;
            }

            // Empty lines before the request line are skipped (RFC 9112 §2.2: a server SHOULD ignore at least one).
            scan.RequestLineEnded |= !empty;
            scan.LineStart = end + 1;
        }
    }

    /// <summary>
    /// How far <see cref="FindEnd"/> got: where the line it has not seen the end of starts, and whether the request line
    /// is whole (so that a head over the limit is answered 431, and a request line over it 414).
    /// </summary>
    public struct Scan
    {
        public int LineStart;
        public bool RequestLineEnded;
    }

    /// <summary>Parses a head <see cref="FindEnd"/> found; on an error, <paramref name="request"/> is null.</summary>
    public static RequestHeadError Parse(ReadOnlySpan<byte> head, int maxFields, out LocalHttpRequest? request)
    {
        request = null;
        int position = 0;
        Range line;
        do
        {
            if (!NextLine(head, ref position, out line))
            {
                return RequestHeadError.Malformed;
            }
        }
        while (head[line].IsEmpty);

        RequestHeadError error = ParseRequestLine(head[line], out string method, out ReadOnlySpan<byte> target, out bool http10);
        if (error != RequestHeadError.None)
        {
            return error;
        }

        var fields = new List<KeyValuePair<string, string>>();
        while (true)
        {
            if (!NextLine(head, ref position, out line))
            {
                return RequestHeadError.Malformed;
            }

            if (head[line].IsEmpty)
            {
                break;
            }

            if (fields.Count == maxFields)
            {
                return RequestHeadError.HeadTooLarge;
            }

            error = ParseField(head[line], out KeyValuePair<string, string> field);
            if (error != RequestHeadError.None)
            {
                return error;
            }

            fields.Add(field);
        }

        error = CheckFraming(fields, http10, out bool hasContent);
        if (error != RequestHeadError.None)
        {
            return error;
        }

        error = SplitTarget(target, out string path, out string query);
        if (error != RequestHeadError.None)
        {
            return error;
        }

        request = new LocalHttpRequest(method, path, query, http10, hasContent, [.. fields]);
        return RequestHeadError.None;
    }

    /// <summary>The next line without its CRLF (or LF); false for a bare CR inside it (RFC 9112 §2.2).</summary>
    private static bool NextLine(ReadOnlySpan<byte> head, ref int position, out Range line)
    {
        int lf = head[position..].IndexOf((byte)'\n');
        int end = lf < 0 ? head.Length : position + lf;
        int next = lf < 0 ? head.Length : end + 1;
        if (end > position && head[end - 1] == '\r')
        {
            end--;
        }

        line = position..end;
        position = next;
        return head[line].IndexOf((byte)'\r') < 0;
    }

    /// <summary><c>method SP request-target SP HTTP-version</c> (RFC 9112 §3), single spaces.</summary>
    private static RequestHeadError ParseRequestLine(ReadOnlySpan<byte> line, out string method, out ReadOnlySpan<byte> target, out bool http10)
    {
        method = "";
        target = default;
        http10 = false;
        int first = line.IndexOf((byte)' ');
        if (first <= 0 || !HttpSyntax.IsToken(line[..first]))
        {
            return RequestHeadError.Malformed;
        }

        ReadOnlySpan<byte> afterMethod = line[(first + 1)..];
        int second = afterMethod.IndexOf((byte)' ');
        if (second <= 0)
        {
            return RequestHeadError.Malformed;
        }

        target = afterMethod[..second];
        ReadOnlySpan<byte> version = afterMethod[(second + 1)..];
        foreach (byte c in target)
        {
            // A request target is visible ASCII (RFC 3986's characters, percent-encoded beyond them).
            if (c is <= 0x20 or >= 0x7f)
            {
                return RequestHeadError.Malformed;
            }
        }

        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            http10 = false;
        }
        else if (version.SequenceEqual("HTTP/1.0"u8))
        {
            http10 = true;
        }
        else
        {
            // HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3): well formed but not 1.x is 505, anything else 400.
            return version.Length == 8 && version.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)version[5]) && version[6] == '.' && char.IsAsciiDigit((char)version[7])
                ? RequestHeadError.VersionNotSupported
                : RequestHeadError.Malformed;
        }

        method = Encoding.ASCII.GetString(line[..first]);
        return RequestHeadError.None;
    }

    /// <summary><c>field-name ":" OWS field-value OWS</c> (RFC 9112 §5).</summary>
    private static RequestHeadError ParseField(ReadOnlySpan<byte> line, out KeyValuePair<string, string> field)
    {
        field = default;
        // A line that starts with whitespace continues the previous one (obs-fold): a server must refuse it (RFC 9112 §5.2).
        // Whitespace between the name and the colon is refused too (§5.1): the name would not be a token.
        int colon = line.IndexOf((byte)':');
        if (colon <= 0 || !HttpSyntax.IsToken(line[..colon]))
        {
            return RequestHeadError.Malformed;
        }

        ReadOnlySpan<byte> value = line[(colon + 1)..].Trim(" \t"u8);
        foreach (byte c in value)
        {
            // NUL and other controls are invalid in a field value (RFC 9110 §5.5); CR and LF cannot be here.
            if (c is (< 0x20 and not (byte)'\t') or 0x7f)
            {
                return RequestHeadError.Malformed;
            }
        }

        field = new(Encoding.ASCII.GetString(line[..colon]), Encoding.UTF8.GetString(value));
        return RequestHeadError.None;
    }

    /// <summary>
    /// Host (RFC 9112 §3.2) and the content's framing (§6). No handler here reads content: a request that has some is
    /// still answered (a POST gets its 405), and the connection is closed after the answer instead of reading past it.
    /// </summary>
    private static RequestHeadError CheckFraming(List<KeyValuePair<string, string>> fields, bool http10, out bool hasContent)
    {
        hasContent = false;
        int hosts = 0;
        string? transferEncoding = null;
        string? contentLength = null;
        foreach (KeyValuePair<string, string> field in fields)
        {
            if (field.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                hosts++;
                if (!IsHostValue(field.Value))
                {
                    return RequestHeadError.Malformed;
                }
            }
            else if (field.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                transferEncoding = transferEncoding is null ? field.Value : transferEncoding + "," + field.Value;
            }
            else if (field.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                // Content-Length = 1*DIGIT (RFC 9110 §8.6); a list of one repeated value may be taken as that value.
                foreach (string part in field.Value.Split(','))
                {
                    string number = part.Trim(' ', '\t');
                    if (number.Length == 0 || number.AsSpan().ContainsAnyExceptInRange('0', '9') || (contentLength is not null && contentLength != number))
                    {
                        return RequestHeadError.Malformed;
                    }

                    contentLength = number;
                }
            }
        }

        // A 1.1 request without Host, or any request with two, is refused (RFC 9112 §3.2).
        if (hosts > 1 || (hosts == 0 && !http10))
        {
            return RequestHeadError.Malformed;
        }

        if (transferEncoding is not null)
        {
            // In HTTP/1.0 the framing is then faulty; in 1.1 a request whose last coding is not chunked has no length a
            // server can know, and is refused too (RFC 9112 §6.1, §6.3). Otherwise the request has content.
            string last = transferEncoding[(transferEncoding.LastIndexOf(',') + 1)..].Trim(' ', '\t');
            hasContent = true;
            return http10 || !last.Equals("chunked", StringComparison.OrdinalIgnoreCase) ? RequestHeadError.Malformed : RequestHeadError.None;
        }

        hasContent = contentLength is not null && !contentLength.AsSpan().TrimStart('0').IsEmpty;
        return RequestHeadError.None;
    }

    /// <summary>
    /// Host = uri-host [ ":" port ] (RFC 9110 §7.2): empty is allowed; a value with what no authority holds (whitespace,
    /// "/", "?", "#", "@", a comma from two values) is refused (RFC 9112 §3.2).
    /// </summary>
    private static bool IsHostValue(string value)
    {
        foreach (char c in value)
        {
            if (c is <= ' ' or >= '\x7f' or '/' or '?' or '#' or '@' or ',' or '\\')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The path and query of an origin-form target (<c>/path?query</c>), of an absolute-form one (RFC 9112 §3.2.2: a
    /// server must accept it; the authority is dropped), or <c>*</c> (§3.2.4).
    /// </summary>
    private static RequestHeadError SplitTarget(ReadOnlySpan<byte> target, out string path, out string query)
    {
        path = "";
        query = "";
        if (target.IndexOf((byte)'#') >= 0)
        {
            // A fragment is not part of a request target (RFC 9112 §3.2).
            return RequestHeadError.Malformed;
        }

        if (target.SequenceEqual("*"u8))
        {
            path = "*";
            return RequestHeadError.None;
        }

        if (target[0] != '/')
        {
            int scheme = target.IndexOf("://"u8);
            if (scheme <= 0 || !(Ascii.EqualsIgnoreCase(target[..scheme], "http"u8) || Ascii.EqualsIgnoreCase(target[..scheme], "https"u8)))
            {
                return RequestHeadError.Malformed;
            }

            ReadOnlySpan<byte> afterAuthority = target[(scheme + 3)..];
            int pathStart = afterAuthority.IndexOfAny((byte)'/', (byte)'?');
            target = pathStart < 0 ? "/"u8 : afterAuthority[pathStart..];
        }

        int question = target.IndexOf((byte)'?');
        ReadOnlySpan<byte> rawPath = question < 0 ? target : target[..question];
        path = rawPath.IsEmpty ? "/" : Encoding.ASCII.GetString(rawPath);
        if (path.Contains('%', StringComparison.Ordinal))
        {
            // RFC 3986 §2.1, as UTF-8.
            path = Uri.UnescapeDataString(path);
        }

        query = question < 0 ? "" : Encoding.ASCII.GetString(target[(question + 1)..]);
        return RequestHeadError.None;
    }
}
