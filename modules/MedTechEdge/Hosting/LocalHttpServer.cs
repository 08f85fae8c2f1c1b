using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MedTechEdge.Hosting;

/// <summary>
/// A bare Kestrel server with one request handler, owned by a hosted service rather than a web host: the module stays
/// one Generic Host, and a few GET routes need no routing, middleware or second host lifetime. Used by the metrics and
/// health endpoints and by the dashboard. Takes no request bodies.
/// </summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly KestrelServer _server;

    private LocalHttpServer(KestrelServer server, IPEndPoint localEndPoint)
    {
        _server = server;
        LocalEndPoint = localEndPoint;
    }

    /// <summary>Where it listens, with the port the system chose when 0 was asked for.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Starts listening on <paramref name="endPoint"/>. An address it cannot bind (taken, not on this host, not allowed)
    /// is not an exception: the result holds the reason, so the caller can run on without this server (it serves a
    /// view of the data, never the data).
    /// </summary>
    public static async Task<(LocalHttpServer? Server, string? Failure)> TryStartAsync(IPEndPoint endPoint, int maxConnections, Func<HttpContext, Task> handler, IServiceProvider services, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var kestrel = new KestrelServerOptions { ApplicationServices = services, AddServerHeader = false };
        kestrel.Limits.MaxConcurrentConnections = maxConnections;
        kestrel.Limits.MaxRequestBodySize = 0;
        kestrel.Listen(endPoint);
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggers);
        var server = new KestrelServer(Options.Create(kestrel), transport, loggers);
        try
        {
            await server.StartAsync(new Application(handler), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            // Kestrel wraps "address in use" in an IOException; an address not on this host (EADDRNOTAVAIL) or a port
            // below 1024 for the unprivileged user (EACCES) come as a SocketException.
            server.Dispose();
            return (null, ex.Message);
        }

        var bound = new Uri(server.Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return (new LocalHttpServer(server, new IPEndPoint(endPoint.Address, bound.Port)), null);
    }

    /// <summary>Writes a whole answer; a HEAD request gets the headers only.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);

    public void Dispose() => _server.Dispose();

    /// <summary>Kestrel's application contract without the hosting layer: a context over the connection's features, one handler.</summary>
    private sealed class Application(Func<HttpContext, Task> handler) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public Task ProcessRequestAsync(HttpContext context) => handler(context);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }
    }
}
