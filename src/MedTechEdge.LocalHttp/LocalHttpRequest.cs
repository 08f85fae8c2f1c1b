using System.Net;

namespace MedTechEdge.LocalHttp;

/// <summary>One parsed request head: the method, the path and query of its target, and its header fields.</summary>
public sealed class LocalHttpRequest
{
    private readonly KeyValuePair<string, string>[] _fields;

    internal LocalHttpRequest(string method, string path, string query, bool http10, bool hasContent, KeyValuePair<string, string>[] fields)
    {
        HasContent = hasContent;
        Method = method;
        Path = path;
        QueryString = query;
        IsHttp10 = http10;
        _fields = fields;
    }

    /// <summary>As sent: methods are case-sensitive (RFC 9110 §9.1), so <c>get</c> is not GET.</summary>
    public string Method { get; }

    /// <summary>The target's path, percent-decoded, without the query; <c>/</c> for an absolute-form target without one.</summary>
    public string Path { get; }

    /// <summary>The target's query as sent, without the <c>?</c>; empty when there is none.</summary>
    public string QueryString { get; }

    /// <summary>GET or HEAD, the only methods any route here answers.</summary>
    public bool IsGetOrHead => Method is "GET" or "HEAD";

    /// <summary>HEAD: the answer's headers without its content (RFC 9110 §9.3.2).</summary>
    public bool IsHead => Method == "HEAD";

    internal bool IsHttp10 { get; }

    /// <summary>The request has content (a Content-Length above 0, or a Transfer-Encoding), which the server never reads.</summary>
    internal bool HasContent { get; }

    /// <summary>
    /// The value of the header field <paramref name="name"/> (case-insensitive); several lines of one name are joined with
    /// ", " (RFC 9110 §5.3). Null when absent.
    /// </summary>
    public string? Header(string name)
    {
        string? value = null;
        foreach (KeyValuePair<string, string> field in _fields)
        {
            if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = value is null ? field.Value : value + ", " + field.Value;
            }
        }

        return value;
    }

    /// <summary>
    /// The first value of <paramref name="name"/> in the query (<c>application/x-www-form-urlencoded</c>: <c>+</c> is a
    /// space, then percent-decoding as UTF-8); null when absent.
    /// </summary>
    public string? Query(string name)
    {
        ReadOnlySpan<char> rest = QueryString;
        while (!rest.IsEmpty)
        {
            int amp = rest.IndexOf('&');
            ReadOnlySpan<char> pair = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? [] : rest[(amp + 1)..];
            int eq = pair.IndexOf('=');
            ReadOnlySpan<char> key = eq < 0 ? pair : pair[..eq];
            if (FormDecode(key) == name)
            {
                return eq < 0 ? "" : FormDecode(pair[(eq + 1)..]);
            }
        }

        return null;
    }

    // application/x-www-form-urlencoded: "+" is a space, then percent-decoding as UTF-8.
    private static string FormDecode(ReadOnlySpan<char> text) => WebUtility.UrlDecode(text.ToString());
}
