using System.Net;
using Microsoft.AspNetCore.Http;

namespace MedTechEdge.Dashboard;

/// <summary>
/// An HTTP listener the host lends the dashboard. The host owns how the module listens (one bare Kestrel server per
/// endpoint, shared with the metrics endpoint), so the dashboard brings its handler and nothing of the server.
/// </summary>
public interface IDashboardListener
{
    /// <summary>
    /// Starts serving <paramref name="handler"/> on <paramref name="endPoint"/>. An address that cannot be bound is
    /// not an exception: the result carries the reason, and the module runs on without the dashboard.
    /// </summary>
    /// <returns>The running server (disposing it stops it) and where it listens; or null and the reason.</returns>
    Task<DashboardListening> TryListenAsync(IPEndPoint endPoint, int maxConnections, Func<HttpContext, Task> handler, CancellationToken cancellationToken);
}

/// <summary>The outcome of <see cref="IDashboardListener.TryListenAsync"/>: a server and its address, or why there is none.</summary>
/// <param name="Server">Stops and releases the listener when disposed; null when it could not listen.</param>
/// <param name="LocalEndPoint">Where it listens, with the port the system chose for 0.</param>
/// <param name="Failure">Why it could not listen.</param>
public sealed record DashboardListening(IAsyncDisposable? Server, IPEndPoint? LocalEndPoint, string? Failure);
