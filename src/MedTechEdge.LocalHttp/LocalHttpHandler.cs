namespace MedTechEdge.LocalHttp;

/// <summary>
/// Answers one request by filling <paramref name="response"/>; the server writes it whole afterwards (a HEAD request
/// gets its headers only). It runs on the connection's task and should not block for long.
/// </summary>
public delegate void LocalHttpHandler(LocalHttpRequest request, LocalHttpResponse response);
