using System.Net;
using System.Net.Sockets;
using System.Text;
using MedTechEdge.TestPeers;

namespace MedTechEdge.LocalHttp.Tests;

/// <summary>Exchanges a client sees: answers, persistence, pipelining, closing, limits, failures, stopping.</summary>
public sealed class LocalHttpServerTests
{
    [Fact]
    public async Task A_Get_Is_Answered_Whole_With_The_Handlers_Fields_As_HttpClient_Reads_It()
    {
        await using LocalHttpServer server = Start();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{server.LocalEndPoint}/a%20b/c?key=k%2By+z&other=1");
        request.Headers.Add("X-Test", "yes");

        using HttpResponseMessage response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("GET /a b/c key=k+y z h=yes", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(Encoding.UTF8.GetByteCount("GET /a b/c key=k+y z h=yes"), response.Content.Headers.ContentLength);
        Assert.Equal("GET", Assert.Single(response.Headers.GetValues("X-Method")));
        Assert.NotNull(response.Headers.Date);
    }

    [Fact]
    public async Task A_Head_Gets_The_Gets_Length_And_No_Content_And_The_Connection_Goes_On()
    {
        await using LocalHttpServer server = Start();
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(server.LocalEndPoint);

        // Pipelined: if the HEAD's answer carried content, the GET's status line would not come next.
        await client.SendAsync("HEAD /x HTTP/1.1\r\nHost: h\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n");
        RawAnswer head = await client.ReadAnswerAsync(head: true);
        RawAnswer get = await client.ReadAnswerAsync();

        Assert.Equal(200, head.Status);
        Assert.Equal(200, get.Status);
        Assert.Equal("HEAD", head.Field("X-Method"));
        Assert.Equal(Encoding.UTF8.GetByteCount("HEAD /x key=(none) h=(none)"), int.Parse(head.Field("Content-Length")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("GET /x key=(none) h=(none)", get.Content);
    }

    [Fact]
    public async Task Requests_On_One_Connection_Are_Answered_In_Order_Sent_Apart_Or_Pipelined()
    {
        await using LocalHttpServer server = Start();
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(server.LocalEndPoint);

        await client.SendAsync("GET /one HTTP/1.1\r\nHost: h\r\n\r\n");
        RawAnswer one = await client.ReadAnswerAsync();
        await client.SendAsync("GET /two HTTP/1.1\r\nHost: h\r\n\r\nGET /three HTTP/1.1\r\nHost: h\r\n\r\nGET /fo");
        await client.SendAsync("ur HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.StartsWith("GET /one ", one.Content, StringComparison.Ordinal);
        Assert.StartsWith("GET /two ", (await client.ReadAnswerAsync()).Content, StringComparison.Ordinal);
        Assert.StartsWith("GET /three ", (await client.ReadAnswerAsync()).Content, StringComparison.Ordinal);
        RawAnswer four = await client.ReadAnswerAsync();
        Assert.StartsWith("GET /four ", four.Content, StringComparison.Ordinal);
        Assert.Null(four.Field("Connection"));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Close\r\n\r\n")]
    [InlineData("GET / HTTP/1.0\r\n\r\n")]
    public async Task Connection_Close_And_Http10_Are_Answered_Then_Closed(string request)
    {
        await using LocalHttpServer server = Start();

        (RawAnswer answer, bool closed) = await LastExchangeAsync(server, request);

        Assert.Equal(200, answer.Status);
        Assert.StartsWith("HTTP/1.1 200 OK", answer.StatusLine, StringComparison.Ordinal);
        Assert.Equal("close", answer.Field("Connection"));
        Assert.True(closed);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n", "no Host in HTTP/1.1 (RFC 9112 §3.2)")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "two Host fields (RFC 9112 §3.2)")]
    [InlineData("GET / HTTP/1.1\r\nHost : h\r\n\r\n", "whitespace before the colon (RFC 9112 §5.1)")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  folded\r\n\r\n", "obs-fold (RFC 9112 §5.2)")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\rX: 1\r\n\r\n", "a bare CR (RFC 9112 §2.2)")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\0b\r\n\r\n", "NUL in a value (RFC 9110 §5.5)")]
    [InlineData("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", "two spaces in the request line (RFC 9112 §3)")]
    [InlineData("GET / HTTP/1.1 \r\nHost: h\r\n\r\n", "a space after the version")]
    [InlineData("GET /\r\nHost: h\r\n\r\n", "no version")]
    [InlineData("GET / HTTQ/1.1\r\nHost: h\r\n\r\n", "not HTTP")]
    [InlineData("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", "a method that is not a token")]
    [InlineData("GET noslash HTTP/1.1\r\nHost: h\r\n\r\n", "a target in no form")]
    [InlineData("GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", "a fragment in the target")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n", "an invalid Content-Length (RFC 9112 §6.3)")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nContent-Length: 1\r\n\r\n", "two different Content-Lengths")]
    [InlineData("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", "Transfer-Encoding in HTTP/1.0 (RFC 9112 §6.1)")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "a last coding other than chunked (RFC 9112 §6.3)")]
    [InlineData("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", "a Host value no authority holds (RFC 9112 §3.2)")]
    [InlineData("GET / HTTP/1.1\r\nHost: user@h\r\n\r\n", "userinfo in Host")]
    public async Task A_Malformed_Head_Is_Answered_400_And_Closed_Without_Reaching_The_Handler(string request, string why)
    {
        int handled = 0;
        await using LocalHttpServer server = Start((_, _) => Interlocked.Increment(ref handled));

        (RawAnswer answer, bool closed) = await LastExchangeAsync(server, request);

        Assert.True(answer.Status == 400, $"{why}: {answer.StatusLine}");
        Assert.Equal("close", answer.Field("Connection"));
        Assert.True(closed, why);
        Assert.Equal(0, handled);
    }

    [Theory]
    [InlineData("POST /form HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello")]
    [InlineData("POST /form HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    public async Task A_Request_With_Content_Is_Answered_By_The_Handler_Then_Closed_Its_Content_Unread(string request)
    {
        await using LocalHttpServer server = Start();

        // The content is never read as a request: "hello" must not be answered as one.
        (RawAnswer answer, bool closed) = await LastExchangeAsync(server, request);

        Assert.Equal("POST /form key=(none) h=(none)", answer.Content);
        Assert.Equal("close", answer.Field("Connection"));
        Assert.True(closed);
    }

    [Theory]
    [InlineData("GET / HTTP/2.0\r\nHost: h\r\n\r\n")]
    [InlineData("GET / HTTP/1.2\r\nHost: h\r\n\r\n")]
    public async Task Other_Versions_Are_Refused_505(string request)
    {
        await using LocalHttpServer server = Start();

        (RawAnswer answer, bool closed) = await LastExchangeAsync(server, request);

        Assert.Equal(505, answer.Status);
        Assert.True(closed);
    }

    [Fact]
    public async Task Content_Length_Zero_Leading_Empty_Lines_And_The_Absolute_Form_Are_Accepted()
    {
        await using LocalHttpServer server = Start();
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(server.LocalEndPoint);

        await client.SendAsync("\r\nGET /z HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\nGET http://h:1/abs?key=v HTTP/1.1\r\nHost: h\r\n\r\nGET HTTP://h HTTP/1.1\nHost: h\n\n");

        Assert.StartsWith("GET /z ", (await client.ReadAnswerAsync()).Content, StringComparison.Ordinal);
        Assert.Equal("GET /abs key=v h=(none)", (await client.ReadAnswerAsync()).Content);
        Assert.Equal("GET / key=(none) h=(none)", (await client.ReadAnswerAsync()).Content);
    }

    [Fact]
    public async Task Methods_Are_Case_Sensitive()
    {
        await using LocalHttpServer server = Start((request, response) => response.Status = request.IsGetOrHead ? 200 : 405);
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(server.LocalEndPoint);

        await client.SendAsync("get / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal(405, (await client.ReadAnswerAsync()).Status);
        Assert.Equal(200, (await client.ReadAnswerAsync()).Status);
    }

    [Fact]
    public async Task Heads_Over_The_Limit_Are_Refused_414_For_The_Request_Line_And_431_For_The_Fields()
    {
        var limits = new LocalHttpLimits { MaxRequestHeadBytes = 1024, MaxHeaderFields = 5 };
        await using LocalHttpServer server = Start(limits: limits);

        await using (RawHttpClient client = await RawHttpClient.ConnectAsync(server.LocalEndPoint))
        {
            await client.SendAsync("GET /" + new string('a', 2000) + " HTTP/1.1\r\nHost: h\r\n\r\n");
            Assert.Equal(414, (await client.ReadAnswerAsync()).Status);
        }

        await using (RawHttpClient client = await RawHttpClient.ConnectAsync(server.LocalEndPoint))
        {
            await client.SendAsync("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + new string('b', 2000) + "\r\n\r\n");
            Assert.Equal(431, (await client.ReadAnswerAsync()).Status);
        }

        await using (RawHttpClient client = await RawHttpClient.ConnectAsync(server.LocalEndPoint))
        {
            await client.SendAsync("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\n\r\n");
            Assert.Equal(431, (await client.ReadAnswerAsync()).Status);
        }

        // Up to the limits, the same server answers.
        await using (RawHttpClient client = await RawHttpClient.ConnectAsync(server.LocalEndPoint))
        {
            await client.SendAsync("GET /" + new string('a', 800) + " HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\n\r\n");
            Assert.Equal(200, (await client.ReadAnswerAsync()).Status);
        }
    }

    [Fact]
    public async Task A_Head_Not_Finished_In_Time_Is_Answered_408_And_Closed()
    {
        var clock = new TestClock();
        await using LocalHttpServer server = Start(limits: new LocalHttpLimits { RequestHeadTimeout = TimeSpan.FromSeconds(30) }, time: clock);
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(server.LocalEndPoint);

        await client.SendAsync("GET / HTTP/1.1\r\nHo");
        // The wait for the first byte, then the wait for the rest of the head.
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(30));
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(408, (await client.ReadAnswerAsync()).Status);
        Assert.True(await client.EndsAsync());
    }

    [Fact]
    public async Task An_Idle_Connection_Is_Closed_After_The_Keep_Alive_Time()
    {
        var clock = new TestClock();
        await using LocalHttpServer server = Start(limits: new LocalHttpLimits { KeepAliveTimeout = TimeSpan.FromSeconds(130) }, time: clock);
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(server.LocalEndPoint);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal(200, (await client.ReadAnswerAsync()).Status);

        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(130));
        clock.Advance(TimeSpan.FromSeconds(129));
        await client.SendAsync("GET /still HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.StartsWith("GET /still ", (await client.ReadAnswerAsync()).Content, StringComparison.Ordinal);

        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(130));
        clock.Advance(TimeSpan.FromSeconds(130));
        Assert.True(await client.EndsAsync());
    }

    [Fact]
    public async Task A_Connection_Over_The_Limit_Is_Answered_503_And_Closed_While_The_Others_Go_On()
    {
        await using LocalHttpServer server = Start(limits: new LocalHttpLimits { MaxConnections = 1 });
        await using RawHttpClient first = await RawHttpClient.ConnectAsync(server.LocalEndPoint);
        await first.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal(200, (await first.ReadAnswerAsync()).Status);

        await using (RawHttpClient second = await RawHttpClient.ConnectAsync(server.LocalEndPoint))
        {
            RawAnswer refused = await second.ReadAnswerAsync();
            Assert.Equal(503, refused.Status);
            Assert.Equal("close", refused.Field("Connection"));
            Assert.True(await second.EndsAsync());
        }

        await first.SendAsync("GET /again HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("GET /again ", (await first.ReadAnswerAsync()).Content, StringComparison.Ordinal);
        Assert.True(await first.EndsAsync());

        // The closed one no longer counts.
        await Poll.UntilAsync(
            async () =>
            {
                await using RawHttpClient third = await RawHttpClient.ConnectAsync(server.LocalEndPoint);
                await third.SendAsync("GET /third HTTP/1.1\r\nHost: h\r\n\r\n");
                return (await third.ReadAnswerAsync()).Status == 200;
            },
            TimeSpan.FromSeconds(10),
            "a new connection answered once the first closed");
    }

    [Fact]
    public async Task A_Failing_Handler_Answers_500_Closes_That_Connection_And_The_Server_Answers_On()
    {
        await using LocalHttpServer server = Start((request, response) =>
        {
            if (request.Path == "/boom")
            {
                throw new InvalidOperationException("handler bug");
            }

            response.Content = "fine"u8.ToArray();
        });
        await using (RawHttpClient client = await RawHttpClient.ConnectAsync(server.LocalEndPoint))
        {
            await client.SendAsync("GET /boom HTTP/1.1\r\nHost: h\r\n\r\n");
            RawAnswer answer = await client.ReadAnswerAsync();
            Assert.Equal(500, answer.Status);
            Assert.Equal("close", answer.Field("Connection"));
            Assert.True(await client.EndsAsync());
        }

        using var http = new HttpClient();
        Assert.Equal("fine", await http.GetStringAsync($"http://{server.LocalEndPoint}/ok"));
    }

    [Fact]
    public async Task A_Taken_Port_Is_A_Reason_Not_An_Exception()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();

        LocalHttpStart start = LocalHttpServer.TryStart((IPEndPoint)taken.LocalEndpoint, new LocalHttpLimits(), Echo, TimeProvider.System);

        Assert.Null(start.Server);
        Assert.Contains("AddressAlreadyInUse", start.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_Closes_Idle_Connections_And_Takes_No_New_Ones()
    {
        LocalHttpServer server = Start();
        IPEndPoint endPoint = server.LocalEndPoint;
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(endPoint);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal(200, (await client.ReadAnswerAsync()).Status);

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await server.StopAsync(grace.Token);
        await server.DisposeAsync();

        Assert.True(await client.EndsAsync());
        await Assert.ThrowsAsync<SocketException>(async () => await RawHttpClient.ConnectAsync(endPoint));
    }

    [Fact]
    public async Task A_Client_Streaming_Pipelined_Requests_Does_Not_Hold_The_Door_For_Others()
    {
        await using LocalHttpServer server = Start();
        using var streaming = new CancellationTokenSource();
        byte[] batch = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET /s HTTP/1.1\r\nHost: h\r\n\r\n", 2000)));
        using var greedy = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await greedy.ConnectAsync(server.LocalEndPoint);
        long answered = 0;
        // Sending and draining the answers at once keeps bytes waiting on the server's side, so each of its receives
        // and sends completes at once.
        Task sending = Task.Run(async () =>
        {
            while (!streaming.IsCancellationRequested)
            {
                await greedy.SendAsync(batch, SocketFlags.None, streaming.Token);
            }
        });
        Task reading = Task.Run(async () =>
        {
            byte[] answers = new byte[65536];
            int read;
            while ((read = await greedy.ReceiveAsync(answers, SocketFlags.None, streaming.Token)) > 0)
            {
                Interlocked.Add(ref answered, read);
            }
        });
        try
        {
            await Poll.UntilAsync(() => Interlocked.Read(ref answered) > 100_000, TimeSpan.FromSeconds(10), "the stream under way");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            Assert.StartsWith("GET /other ", await http.GetStringAsync($"http://{server.LocalEndPoint}/other"), StringComparison.Ordinal);
        }
        finally
        {
            // Cancelling ends both loops wherever they are; what they throw then is the cancellation, not a finding.
            await streaming.CancelAsync();
            greedy.Dispose();
            await Task.WhenAll(sending, reading).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [Fact]
    public async Task Stopping_Sends_The_Answer_In_Flight_Within_The_Grace_Then_Closes()
    {
        using var handlerEntered = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        LocalHttpServer server = Start((request, response) =>
        {
            handlerEntered.Release();
            release.Wait(TimeSpan.FromSeconds(10));
            response.Content = "late but whole"u8.ToArray();
        });
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(server.LocalEndPoint);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.True(await handlerEntered.WaitAsync(TimeSpan.FromSeconds(10)));

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Task stopping = server.StopAsync(grace.Token);
        release.Set();
        await stopping;

        RawAnswer answer = await client.ReadAnswerAsync();
        Assert.Equal("late but whole", answer.Content);
        Assert.Equal("close", answer.Field("Connection"));
        Assert.True(await client.EndsAsync());
        await server.DisposeAsync();
    }

    [Fact]
    public async Task A_204_Carries_No_Content_Length_And_No_Content()
    {
        await using LocalHttpServer server = Start((_, response) =>
        {
            response.Status = 204;
            response.Content = "ignored"u8.ToArray();
        });
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(server.LocalEndPoint);

        await client.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
        RawAnswer first = await client.ReadAnswerAsync();
        RawAnswer second = await client.ReadAnswerAsync();

        // RFC 9110 §8.6: no Content-Length in a 204; the second answer starts right after the first head.
        Assert.Equal(204, first.Status);
        Assert.Null(first.Field("Content-Length"));
        Assert.Equal(204, second.Status);
    }

    [Theory]
    [InlineData("X-Bad", "a\r\nInjected: yes")]
    [InlineData("X-Bad", "a\nb")]
    [InlineData("Bad Name", "v")]
    [InlineData("Content-Length", "5")]
    [InlineData("connection", "keep-alive")]
    public void A_Handler_Cannot_Set_A_Field_That_Would_Split_Or_Reframe_The_Answer(string name, string value)
    {
        var response = new LocalHttpResponse();

        Assert.Throws<ArgumentException>(() => response.SetHeader(name, value));
    }

    [Fact]
    public void A_Handler_Cannot_Split_The_Answer_Through_Its_Content_Type_Or_Send_A_Non_Final_Status()
    {
        var response = new LocalHttpResponse();

        Assert.Throws<ArgumentException>(() => response.ContentType = "text/plain\r\nSet-Cookie: x=1");
        Assert.Throws<ArgumentOutOfRangeException>(() => response.Status = 101);
        Assert.Throws<ArgumentOutOfRangeException>(() => response.Status = 1000);
    }

    /// <summary>Sends <paramref name="request"/> on a connection of its own; its one answer, and whether the server then closed.</summary>
    private static async Task<(RawAnswer Answer, bool Closed)> LastExchangeAsync(LocalHttpServer server, string request)
    {
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(server.LocalEndPoint);
        await client.SendAsync(request);
        RawAnswer answer = await client.ReadAnswerAsync();
        return (answer, await client.EndsAsync());
    }

    private static LocalHttpServer Start(LocalHttpHandler? handler = null, LocalHttpLimits? limits = null, TimeProvider? time = null)
    {
        LocalHttpStart start = LocalHttpServer.TryStart(new IPEndPoint(IPAddress.Loopback, 0), limits ?? new LocalHttpLimits(), handler ?? Echo, time ?? TimeProvider.System);
        Assert.Null(start.Failure);
        return start.Server!;
    }

    private static void Echo(LocalHttpRequest request, LocalHttpResponse response)
    {
        response.ContentType = "text/plain; charset=utf-8";
        response.SetHeader("X-Method", request.Method);
        response.Content = Encoding.UTF8.GetBytes($"{request.Method} {request.Path} key={request.Query("key") ?? "(none)"} h={request.Header("X-Test") ?? "(none)"}");
    }
}
