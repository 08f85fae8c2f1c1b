using System.Net;

namespace MedTechEdge.Tools;

/// <summary>
/// Lets only GET requests through to the FHIR server: the debugger's <c>--fhir-url</c> may point at a production
/// server, and a debugging session must not change it whatever code path runs. A refused request is answered 405
/// locally, which the FHIR client reports as a failure rather than an exception.
/// </summary>
internal sealed class ReadOnlyFhirHandler : DelegatingHandler
{
    public ReadOnlyFhirHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get)
        {
            return base.SendAsync(request, cancellationToken);
        }

        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.MethodNotAllowed) { RequestMessage = request });
    }
}
