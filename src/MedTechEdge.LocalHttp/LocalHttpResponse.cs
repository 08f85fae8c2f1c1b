namespace MedTechEdge.LocalHttp;

/// <summary>
/// The answer a <see cref="LocalHttpHandler"/> fills in: a status, a content type, the whole content, and header fields.
/// The server adds Date, Content-Length and, when it closes the connection, Connection: close.
/// </summary>
public sealed class LocalHttpResponse
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    /// <summary>200 unless set.</summary>
    public int Status { get; set; } = 200;

    /// <summary>The Content-Type field; none when null (an answer without content).</summary>
    public string? ContentType { get; set; }

    /// <summary>The whole content; its length is the Content-Length.</summary>
    public ReadOnlyMemory<byte> Content { get; set; }

    internal List<KeyValuePair<string, string>> Fields => _fields;

    /// <summary>
    /// Adds a header field, or replaces the value of one of the same name. The name must be a token and the value must
    /// hold no control characters (RFC 9110 §5.1, §5.5): a value with CR or LF would split the answer.
    /// </summary>
    public void SetHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!HttpSyntax.IsToken(name) || IsServerField(name))
        {
            throw new ArgumentException($"'{name}' is not a header field a handler sets.", nameof(name));
        }

        foreach (char c in value)
        {
            if (c is < ' ' and not '\t' or '\x7f' or > '\xff')
            {
                throw new ArgumentException($"The value of '{name}' holds a character a header field cannot carry.", nameof(value));
            }
        }

        for (int i = 0; i < _fields.Count; i++)
        {
            if (string.Equals(_fields[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                _fields[i] = new(name, value);
                return;
            }
        }

        _fields.Add(new(name, value));
    }

    /// <summary>The fields the server writes from the answer's framing, never a handler.</summary>
    private static bool IsServerField(string name)
    {
        foreach (string field in (ReadOnlySpan<string>)["Content-Length", "Content-Type", "Date", "Connection", "Transfer-Encoding"])
        {
            if (name.Equals(field, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
