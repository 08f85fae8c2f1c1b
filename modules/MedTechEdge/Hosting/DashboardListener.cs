using System.Net;
using MedTechEdge.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Hosting;

/// <summary>
/// Lends the dashboard library the module's way of listening: a <see cref="LocalHttpServer"/>, the same bare Kestrel
/// server the metrics endpoint runs on, so the module stays one Generic Host.
/// </summary>
internal sealed class DashboardListener(IServiceProvider services, ILoggerFactory loggers) : IDashboardListener
{
    public async Task<DashboardListening> TryListenAsync(IPEndPoint endPoint, int maxConnections, Func<HttpContext, Task> handler, CancellationToken cancellationToken)
    {
        (LocalHttpServer? server, string? failure) = await LocalHttpServer.TryStartAsync(endPoint, maxConnections, handler, services, loggers, cancellationToken).ConfigureAwait(false);
        return server is null
            ? new DashboardListening(null, null, failure)
            : new DashboardListening(new Running(server), server.LocalEndPoint, null);
    }

    /// <summary>Stops the server, giving requests in flight a few seconds (the page's are small), then releases its sockets.</summary>
    private sealed class Running(LocalHttpServer server) : IAsyncDisposable
    {
        private static readonly TimeSpan s_grace = TimeSpan.FromSeconds(5);

        public async ValueTask DisposeAsync()
        {
            using var grace = new CancellationTokenSource(s_grace);
            try
            {
                await server.StopAsync(grace.Token).ConfigureAwait(false);
            }
            finally
            {
                server.Dispose();
            }
        }
    }
}
