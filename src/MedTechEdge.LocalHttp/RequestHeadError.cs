namespace MedTechEdge.LocalHttp;

/// <summary>Why a request head was refused; each is answered with its status code and the connection is closed.</summary>
internal enum RequestHeadError
{
    None = 0,

    /// <summary>400: the head breaks RFC 9112's grammar (request line, field line, Host, Content-Length).</summary>
    Malformed = 400,

    /// <summary>408: the head did not arrive in <see cref="LocalHttpLimits.RequestHeadTimeout"/>.</summary>
    Timeout = 408,

    /// <summary>414: the request line alone is longer than <see cref="LocalHttpLimits.MaxRequestHeadBytes"/>.</summary>
    RequestLineTooLong = 414,

    /// <summary>431: the head is larger than <see cref="LocalHttpLimits.MaxRequestHeadBytes"/>, or has too many fields.</summary>
    HeadTooLarge = 431,

    /// <summary>505: a well-formed version other than HTTP/1.0 and HTTP/1.1.</summary>
    VersionNotSupported = 505,
}
