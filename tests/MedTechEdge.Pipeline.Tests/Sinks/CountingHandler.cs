namespace MedTechEdge.Pipeline.Tests.Sinks;

/// <summary>
/// Notes every request on its way to the real server (method and path), and can run a step just before one is sent:
/// the server still answers everything.
/// </summary>
internal sealed class CountingHandler() : DelegatingHandler(new HttpClientHandler())
{
    private readonly List<string> _requests = [];

    /// <summary>Runs before a request is forwarded; the request's body is readable.</summary>
    public Func<HttpRequestMessage, Task>? BeforeSend { get; set; }

    /// <summary>"METHOD /path" of each request so far, in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public void Clear()
    {
        lock (_requests)
        {
            _requests.Clear();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add(request.Method + " " + request.RequestUri!.AbsolutePath);
        }

        if (BeforeSend is { } before)
        {
            await before(request).ConfigureAwait(false);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
