namespace MedTechEdge.LocalHttp;

/// <summary>The outcome of <see cref="LocalHttpServer.TryStart"/>: a listening server, or why there is none.</summary>
/// <param name="Server">The running server; null when the address could not be bound.</param>
/// <param name="Failure">Why it could not listen (taken, not on this host, not allowed).</param>
public sealed record LocalHttpStart(LocalHttpServer? Server, string? Failure);
