namespace MedTechEdge.LocalHttp;

/// <summary>
/// The answer a <see cref="LocalHttpHandler"/> fills in: a status, a content type, the whole content, and header fields.
/// The server adds Date, Content-Length and, when it closes the connection, Connection: close.
/// </summary>
public sealed class LocalHttpResponse
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    private int _status = 200;
    private string? _contentType;

    /// <summary>200 unless set; a final status, 200-599 (the server sends no 1xx of its own handlers).</summary>
    public int Status
    {
        get => _status;
        set => _status = value is >= 200 and <= 599 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A final status code is 200-599.");
    }

    /// <summary>The Content-Type field; none when null (an answer without content).</summary>
    public string? ContentType
    {
        get => _contentType;
        set
        {
            if (value is not null)
            {
                CheckValue("Content-Type", value);
            }

            _contentType = value;
        }
    }

    /// <summary>The whole content; its length is the Content-Length.</summary>
    public ReadOnlyMemory<byte> Content { get; set; }

    internal List<KeyValuePair<string, string>> Fields => _fields;

    /// <summary>Sets a whole answer at once: its status, content type and content (HEAD gets the headers only).</summary>
    public void Answer(int status, string contentType, ReadOnlyMemory<byte> content)
    {
        Status = status;
        ContentType = contentType;
        Content = content;
    }

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

        CheckValue(name, value);
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

    /// <summary>A field value holds no control character (RFC 9110 §5.5): CR or LF would split the answer.</summary>
    private static void CheckValue(string name, string value)
    {
        foreach (char c in value)
        {
            if (c is < ' ' and not '\t' or '\x7f' or > '\xff')
            {
                throw new ArgumentException($"The value of '{name}' holds a character a header field cannot carry.", nameof(value));
            }
        }
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
