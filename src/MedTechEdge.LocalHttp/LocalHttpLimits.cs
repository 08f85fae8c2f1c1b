namespace MedTechEdge.LocalHttp;

/// <summary>
/// What one <see cref="LocalHttpServer"/> accepts. The defaults follow the bare Kestrel server it replaced: a request
/// head of 32 KiB, 100 header fields, 30 seconds to send a head, 130 seconds idle between requests.
/// </summary>
public sealed record LocalHttpLimits
{
    /// <summary>Connections open at once; one more is answered 503 and closed.</summary>
    public int MaxConnections { get; init; } = 32;

    /// <summary>The request line and header fields together, in bytes; more is answered 414 or 431.</summary>
    public int MaxRequestHeadBytes { get; init; } = 32 * 1024;

    /// <summary>Header field lines in one request; more is answered 431.</summary>
    public int MaxHeaderFields { get; init; } = 100;

    /// <summary>From a connection's start, or a request's first byte, to the end of its head; then 408 and closed.</summary>
    public TimeSpan RequestHeadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a connection may sit idle after an answer before it is closed.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(130);
}
