using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MedTechEdge.TestPeers;

/// <summary>
/// A small HTTP forwarder (Kestrel) in front of a FHIR server that injects faults (<see cref="Fault"/>) and records,
/// in the order the server accepted them, the entries of every transaction Bundle it answered with 2xx: what reached
/// the server, and when, as the server saw it: an entry is recorded before its answer goes back, and a device's next
/// Bundle leaves the module only after that answer, so each device's order is the server's. A fault is applied before
/// forwarding, so the server never stores a request whose answer was lost.
/// </summary>
public sealed class FhirRecordingProxy : IAsyncDisposable
{
    private readonly Uri _upstream;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly WebApplication _app;
    private readonly List<FhirArrival> _arrivals = [];
    private int _fault;
    private int _faulted;
    private int _transactions;

    /// <summary>Starts the proxy on a free loopback port, in front of <paramref name="upstream"/> (a base URL ending in '/').</summary>
    public FhirRecordingProxy(Uri upstream)
    {
        _upstream = upstream;
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(ServeAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        var bound = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        BaseUrl = new Uri($"http://127.0.0.1:{bound.Port}{upstream.AbsolutePath}");
    }

    /// <summary>The proxy's FHIR base URL (same path as the server's).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The instant <see cref="FhirFault.TooManyRequestsUntilDate"/> names: 30 s after the test clock's default start.</summary>
    public static DateTimeOffset RetryAfterDate { get; } = new(2026, 12, 1, 8, 0, 30, TimeSpan.Zero);

    /// <summary>The fault applied to every request from now on.</summary>
    public FhirFault Fault
    {
        get => (FhirFault)Volatile.Read(ref _fault);
        set => Volatile.Write(ref _fault, (int)value);
    }

    /// <summary>
    /// Every this many forwarded transactions, one is held back <see cref="SlowBy"/> before it is forwarded (a server
    /// hiccup: one lane slow while the others finish); 0: none.
    /// </summary>
    public int SlowEvery { get; set; }

    /// <summary>How long a slow transaction is held back.</summary>
    public TimeSpan SlowBy { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests answered with a fault instead of forwarded, so far.</summary>
    public int Faulted => Volatile.Read(ref _faulted);

    /// <summary>The resources the server accepted in transaction Bundles, in order.</summary>
    public List<FhirArrival> Arrivals()
    {
        lock (_arrivals)
        {
            return [.. _arrivals];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
    }

    private async Task ServeAsync(HttpContext context)
    {
        FhirFault fault = Fault;
        if (fault != FhirFault.None)
        {
            Interlocked.Increment(ref _faulted);
        }

        switch (fault)
        {
            case FhirFault.DropConnection:
                context.Abort();
                return;
            case FhirFault.ServiceUnavailable:
                await AnswerAsync(context, 503, null).ConfigureAwait(false);
                return;
            case FhirFault.TooManyRequests:
                await AnswerAsync(context, 429, "1").ConfigureAwait(false);
                return;
            case FhirFault.TooManyRequestsUntilDate:
                await AnswerAsync(context, 429, RetryAfterDate.ToString("r", System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
                return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var target = new Uri(_upstream, context.Request.Path.Value![_upstream.AbsolutePath.Length..] + context.Request.QueryString.Value);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        if (body.Length > 0 || context.Request.ContentType is not null)
        {
            request.Content = new ByteArrayContent(body.ToArray());
            request.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType ?? "application/fhir+json");
        }

        foreach (string header in (string[])["Accept", "If-Match", "If-None-Exist", "Prefer"])
        {
            if (context.Request.Headers.TryGetValue(header, out Microsoft.Extensions.Primitives.StringValues value))
            {
                request.Headers.TryAddWithoutValidation(header, (IEnumerable<string>)value!);
            }
        }

        bool transaction = context.Request.Method == "POST" && target.AbsolutePath.TrimEnd('/') == _upstream.AbsolutePath.TrimEnd('/');
        int slowEvery = SlowEvery;
        if (transaction && slowEvery > 0 && Interlocked.Increment(ref _transactions) % slowEvery == 0)
        {
            // Real elapsed time is the point: a slow server answer, so later Bundles of other lanes overtake this one.
            await Task.Delay(SlowBy, context.RequestAborted).ConfigureAwait(false);
        }

        using HttpResponseMessage response = await _http.SendAsync(request, context.RequestAborted).ConfigureAwait(false);
        byte[] answer = await response.Content.ReadAsByteArrayAsync(context.RequestAborted).ConfigureAwait(false);
        if (transaction && response.IsSuccessStatusCode)
        {
            Record(body.ToArray());
        }

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (string header in (string[])["ETag", "Location", "Content-Location", "Last-Modified"])
        {
            if (response.Headers.TryGetValues(header, out IEnumerable<string>? values) || response.Content.Headers.TryGetValues(header, out values))
            {
                context.Response.Headers[header] = values.ToArray();
            }
        }

        if (response.Content.Headers.ContentType is { } type)
        {
            context.Response.ContentType = type.ToString();
        }

        await context.Response.Body.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
    }

    private void Record(byte[] bundle)
    {
        using JsonDocument document = JsonDocument.Parse(bundle);
        lock (_arrivals)
        {
            foreach (JsonElement entry in document.RootElement.GetProperty("entry").EnumerateArray())
            {
                JsonElement resource = entry.GetProperty("resource");
                string? device = resource.TryGetProperty("device", out JsonElement d) ? d.GetProperty("reference").GetString() : null;
                string? start = resource.TryGetProperty("effectivePeriod", out JsonElement p) ? p.GetProperty("start").GetString()
                    : resource.TryGetProperty("effectiveDateTime", out JsonElement t) ? t.GetString() : null;
                _arrivals.Add(new FhirArrival(resource.GetProperty("resourceType").GetString()!, resource.GetProperty("id").GetString()!, device, start));
            }
        }
    }

    private static async Task AnswerAsync(HttpContext context, int status, string? retryAfter)
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        context.Response.ContentType = "application/fhir+json";
        await context.Response.WriteAsync($$"""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"transient","diagnostics":"injected {{status}}"}]}""").ConfigureAwait(false);
    }
}

/// <summary>One resource a FHIR server accepted in a transaction Bundle.</summary>
/// <param name="Type">Its resourceType.</param>
/// <param name="Id">Its logical id.</param>
/// <param name="Device">An Observation's <c>device.reference</c>; null for other resources.</param>
/// <param name="Effective">An Observation's <c>effectivePeriod.start</c> or <c>effectiveDateTime</c>.</param>
public sealed record FhirArrival(string Type, string Id, string? Device, string? Effective);
