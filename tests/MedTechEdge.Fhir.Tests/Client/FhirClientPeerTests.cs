using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MedTechEdge.Fhir.Client;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Fhir.Tests.Client;

/// <summary>
/// FhirClient against the real FHIR peer (Medplum fhir-router under node). Each test uses its own
/// identifier system and ids, so tests never depend on each other or on order.
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class FhirClientPeerTests : IDisposable
{
    private readonly FhirPeerFixture _peer;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly FhirClient _client;

    public FhirClientPeerTests(FhirPeerFixture peer)
    {
        _peer = peer;
        _client = new FhirClient(_http, peer.BaseUrl);
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Create_Then_Read_Returns_The_Resource_With_Its_Version()
    {
        string system = TestResources.UniqueSystem();

        FhirResponse created = await _client.CreateAsync("Observation", TestResources.Observation(system, "obs-1"));

        Assert.Equal(201, created.StatusCode);
        Assert.Equal(FhirFailureKind.None, created.FailureKind);
        Assert.NotNull(created.ETag);
        Assert.StartsWith("W/\"", created.ETag, StringComparison.Ordinal);
        Assert.NotNull(created.Location);
        string id = created.Json!.Value.GetProperty("id").GetString()!;
        Assert.Contains("/Observation/" + id + "/_history/", created.Location!.AbsoluteUri, StringComparison.Ordinal);

        FhirResponse read = await _client.ReadAsync("Observation", id);

        Assert.Equal(200, read.StatusCode);
        Assert.Equal(created.VersionId, read.VersionId);
        JsonElement identifier = read.Json!.Value.GetProperty("identifier")[0];
        Assert.Equal(system, identifier.GetProperty("system").GetString());
        Assert.Equal("obs-1", identifier.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Put_Creates_With_201_Then_Updates_With_200()
    {
        string system = TestResources.UniqueSystem();
        string id = TestResources.UniqueId();

        FhirResponse first = await _client.PutAsync("Observation", id, TestResources.Observation(system, "v", id));
        FhirResponse second = await _client.PutAsync("Observation", id, TestResources.Observation(system, "v", id, status: "amended"));

        Assert.Equal(201, first.StatusCode);
        Assert.Equal(200, second.StatusCode);
        Assert.True(second.IsSuccess);
        Assert.NotEqual(first.VersionId, second.VersionId);
        FhirResponse read = await _client.ReadAsync("Observation", id);
        Assert.Equal("amended", read.Json!.Value.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Put_With_Stale_IfMatch_Returns_412_Classified_Conflict()
    {
        string system = TestResources.UniqueSystem();
        string id = TestResources.UniqueId();
        FhirResponse v1 = await _client.PutAsync("Observation", id, TestResources.Observation(system, "v", id));
        FhirResponse v2 = await _client.PutAsync("Observation", id, TestResources.Observation(system, "v", id, status: "amended"), ifMatch: v1.ETag);
        Assert.Equal(200, v2.StatusCode);

        FhirResponse stale = await _client.PutAsync("Observation", id, TestResources.Observation(system, "v", id, status: "cancelled"), ifMatch: v1.ETag);

        Assert.Equal(412, stale.StatusCode);
        Assert.Equal(FhirFailureKind.Conflict, stale.FailureKind);
        Assert.NotNull(stale.Outcome);
        FhirResponse current = await _client.ReadAsync("Observation", id);
        Assert.Equal(v2.VersionId, current.VersionId);
        Assert.Equal("amended", current.Json!.Value.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Put_With_Bare_Version_Id_As_IfMatch_Succeeds()
    {
        string system = TestResources.UniqueSystem();
        string id = TestResources.UniqueId();
        FhirResponse v1 = await _client.PutAsync("Observation", id, TestResources.Observation(system, "v", id));

        FhirResponse v2 = await _client.PutAsync("Observation", id, TestResources.Observation(system, "v", id), ifMatch: v1.VersionId);

        Assert.Equal(200, v2.StatusCode);
    }

    [Fact]
    public async Task Conditional_Put_With_Stale_IfMatch_Returns_412()
    {
        string system = TestResources.UniqueSystem();
        FhirResponse created = await _client.ConditionalPutAsync("Observation", $"identifier={system}|c1", TestResources.Observation(system, "c1"));
        FhirResponse updated = await _client.ConditionalPutAsync("Observation", $"identifier={system}|c1", TestResources.Observation(system, "c1", status: "amended"));
        Assert.Equal(201, created.StatusCode);
        Assert.Equal(200, updated.StatusCode);

        FhirResponse stale = await _client.ConditionalPutAsync(
            "Observation", $"identifier={system}|c1", TestResources.Observation(system, "c1"), ifMatch: created.ETag);

        Assert.Equal(412, stale.StatusCode);
        Assert.Equal(FhirFailureKind.Conflict, stale.FailureKind);
    }

    [Fact]
    public async Task Search_By_Identifier_System_And_Value_Finds_Exactly_That_Resource()
    {
        string system = TestResources.UniqueSystem();
        string otherSystem = TestResources.UniqueSystem();
        FhirResponse target = await _client.CreateAsync("Observation", TestResources.Observation(system, "a"));
        await _client.CreateAsync("Observation", TestResources.Observation(system, "b"));
        await _client.CreateAsync("Observation", TestResources.Observation(otherSystem, "a"));

        FhirResponse search = await _client.SearchAsync("Observation", $"identifier={system}|a");

        Assert.Equal(200, search.StatusCode);
        JsonElement bundle = search.Json!.Value;
        Assert.Equal("searchset", bundle.GetProperty("type").GetString());
        Assert.Equal(1, bundle.GetProperty("total").GetInt32());
        JsonElement entry = Assert.Single(bundle.GetProperty("entry").EnumerateArray());
        Assert.Equal(target.Json!.Value.GetProperty("id").GetString(), entry.GetProperty("resource").GetProperty("id").GetString());
        Assert.Null(search.NextLink);
    }

    [Fact]
    public async Task Search_Pages_Follow_Next_Links_Until_All_Matches_Are_Read()
    {
        string system = TestResources.UniqueSystem();
        for (int i = 0; i < 5; i++)
        {
            FhirResponse created = await _client.CreateAsync("Observation", TestResources.Observation(system, "p" + i));
            Assert.Equal(201, created.StatusCode);
        }

        var ids = new HashSet<string>();
        int pages = 0;
        await foreach (FhirResponse page in _client.SearchPagesAsync("Observation", $"identifier={system}|&_count=2"))
        {
            Assert.True(page.IsSuccess, page.ToString());
            pages++;
            foreach (JsonElement entry in page.Json!.Value.GetProperty("entry").EnumerateArray())
            {
                ids.Add(entry.GetProperty("resource").GetProperty("id").GetString()!);
            }
        }

        Assert.Equal(3, pages);
        Assert.Equal(5, ids.Count);
    }

    [Fact]
    public async Task Conditional_Create_Twice_Yields_One_Resource()
    {
        string system = TestResources.UniqueSystem();
        string condition = $"identifier={system}|once";

        FhirResponse first = await _client.CreateAsync("Observation", TestResources.Observation(system, "once"), ifNoneExist: condition);
        FhirResponse second = await _client.CreateAsync("Observation", TestResources.Observation(system, "once"), ifNoneExist: condition);

        Assert.Equal(201, first.StatusCode);
        Assert.Equal(200, second.StatusCode);
        Assert.Equal(first.Json!.Value.GetProperty("id").GetString(), second.Json!.Value.GetProperty("id").GetString());
        FhirResponse search = await _client.SearchAsync("Observation", condition);
        Assert.Equal(1, search.Json!.Value.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Transaction_Commits_All_Entries_And_Reports_Each_Status_ETag_And_Location()
    {
        string system = TestResources.UniqueSystem();
        string observationId = TestResources.UniqueId();
        const string DevicePlaceholder = "urn:uuid:6f1e3c1a-2b7d-4c55-9a0e-0d9f1b2c3d4e";
        using var builder = new FhirTransactionBuilder();
        // The Observation refers to the Device by its placeholder; the server rewrites it to Device/<id>.
        builder.AddPut("Observation", observationId, TestResources.Observation(system, "tx", observationId, device: DevicePlaceholder));
        builder.AddPost("Device", TestResources.Device(system, "dev"), ifNoneExist: $"identifier={system}|dev", fullUrl: DevicePlaceholder);

        FhirResponse response = await _client.TransactionAsync(builder.Build());

        Assert.Equal(200, response.StatusCode);
        IReadOnlyList<FhirBundleEntryResponse> entries = response.GetEntryResponses();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(201, e.StatusCode));
        Assert.All(entries, e => Assert.NotNull(e.VersionId));
        Assert.StartsWith($"Observation/{observationId}/_history/", entries[0].Location, StringComparison.Ordinal);
        Assert.StartsWith("Device/", entries[1].Location, StringComparison.Ordinal);

        FhirResponse observation = await _client.ReadAsync("Observation", observationId);
        string deviceReference = observation.Json!.Value.GetProperty("device").GetProperty("reference").GetString()!;
        Assert.Equal(entries[1].Location![..deviceReference.Length], deviceReference);
        Assert.Equal(entries[0].VersionId, observation.VersionId);
    }

    [Fact]
    public async Task Transaction_With_One_Invalid_Entry_Returns_400_And_Persists_Nothing()
    {
        string system = TestResources.UniqueSystem();
        string validId = TestResources.UniqueId();
        string invalidId = TestResources.UniqueId();
        using var builder = new FhirTransactionBuilder();
        builder.AddPut("Observation", validId, TestResources.Observation(system, "ok", validId));
        builder.AddPost("Device", TestResources.Device(system, "dev"));
        builder.AddPut("Observation", invalidId, TestResources.Observation(system, "bad", invalidId, status: "bogus"));

        FhirResponse response = await _client.TransactionAsync(builder.Build());

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(FhirFailureKind.Invalid, response.FailureKind);
        Assert.Contains(response.Outcome!.Issues, i => i.Diagnostics!.Contains("bogus", StringComparison.Ordinal));
        Assert.Equal(FhirFailureKind.NotFound, (await _client.ReadAsync("Observation", validId)).FailureKind);
        Assert.Equal(FhirFailureKind.NotFound, (await _client.ReadAsync("Observation", invalidId)).FailureKind);
        FhirResponse devices = await _client.SearchAsync("Device", $"identifier={system}|");
        Assert.Equal(0, devices.Json!.Value.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Batch_Reports_Each_Entry_Separately()
    {
        string system = TestResources.UniqueSystem();
        string validId = TestResources.UniqueId();
        string invalidId = TestResources.UniqueId();
        using var builder = new FhirTransactionBuilder(FhirBundleType.Batch);
        builder.AddPut("Observation", validId, TestResources.Observation(system, "ok", validId));
        builder.AddPut("Observation", invalidId, TestResources.Observation(system, "bad", invalidId, status: "bogus"));

        FhirResponse response = await _client.TransactionAsync(builder.Build());

        Assert.Equal(200, response.StatusCode);
        IReadOnlyList<FhirBundleEntryResponse> entries = response.GetEntryResponses();
        Assert.Equal(201, entries[0].StatusCode);
        Assert.Equal(FhirFailureKind.Invalid, entries[1].FailureKind);
        Assert.Contains(entries[1].Outcome!.Issues, i => i.Expression.Contains("Observation.status"));
        Assert.True((await _client.ReadAsync("Observation", validId)).IsSuccess);
    }

    [Fact]
    public async Task Invalid_Observation_Returns_400_With_OperationOutcome_Diagnostics()
    {
        string system = TestResources.UniqueSystem();

        FhirResponse response = await _client.CreateAsync("Observation", TestResources.Observation(system, "x", status: "bogus", withCode: false));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(FhirFailureKind.Invalid, response.FailureKind);
        FhirOperationOutcome outcome = response.Outcome!;
        FhirOutcomeIssue status = Assert.Single(outcome.Issues, i => i.Expression.Contains("Observation.status"));
        Assert.Equal("error", status.Severity);
        Assert.Equal("code-invalid", status.Code);
        Assert.Contains("bogus", status.Diagnostics, StringComparison.Ordinal);
        FhirOutcomeIssue code = Assert.Single(outcome.Issues, i => i.Expression.Contains("Observation.code"));
        Assert.Contains("Missing required property", code.Diagnostics, StringComparison.Ordinal);
        Assert.Contains("bogus", response.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dangling_Reference_Returns_400_Invalid()
    {
        string system = TestResources.UniqueSystem();
        string missingPatient = "Patient/" + TestResources.UniqueId();

        FhirResponse response = await _client.CreateAsync("Observation", TestResources.Observation(system, "x", subject: missingPatient));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(FhirFailureKind.Invalid, response.FailureKind);
        FhirOutcomeIssue issue = Assert.Single(response.Outcome!.Issues);
        Assert.Contains(missingPatient, issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(["Observation.subject"], issue.Expression);
    }

    [Fact]
    public async Task Read_Of_Missing_Resource_Returns_404_NotFound()
    {
        FhirResponse response = await _client.ReadAsync("Observation", TestResources.UniqueId());

        Assert.Equal(404, response.StatusCode);
        Assert.Equal(FhirFailureKind.NotFound, response.FailureKind);
        Assert.Null(response.ETag);
    }

    [Fact]
    public async Task Bearer_Token_Is_Sent_As_Authorization_Header()
    {
        using var recorder = new AuthorizationRecorder();
        using var http = new HttpClient(recorder);
        var client = new FhirClient(http, _peer.BaseUrl, new StaticFhirAccessTokenProvider("secret-token"));

        FhirResponse response = await client.ReadAsync("Observation", TestResources.UniqueId());

        Assert.Equal(404, response.StatusCode);
        Assert.Equal(new AuthenticationHeaderValue("Bearer", "secret-token"), recorder.LastAuthorization);
        Assert.Equal("application/fhir+json", recorder.LastAccept);
    }

    [Fact]
    public async Task No_Token_Provider_Sends_No_Authorization_Header()
    {
        using var recorder = new AuthorizationRecorder();
        using var http = new HttpClient(recorder);
        var client = new FhirClient(http, _peer.BaseUrl);

        await client.ReadAsync("Observation", TestResources.UniqueId());

        Assert.True(recorder.Called);
        Assert.Null(recorder.LastAuthorization);
    }

    [Fact]
    public async Task Request_Body_Is_Sent_As_Fhir_Json()
    {
        using var recorder = new AuthorizationRecorder();
        using var http = new HttpClient(recorder);
        var client = new FhirClient(http, _peer.BaseUrl);

        FhirResponse response = await client.CreateAsync("Device", Encoding.UTF8.GetBytes("""{"resourceType":"Device"}"""));

        Assert.Equal(201, response.StatusCode);
        Assert.Equal("application/fhir+json", recorder.LastContentType?.MediaType);
    }

    [Fact]
    public async Task Cancelled_Token_Throws_OperationCanceledException()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _client.ReadAsync("Observation", TestResources.UniqueId(), cancelled.Token));
    }

    /// <summary>Passes requests to the real network handler, remembering a few request headers.</summary>
    private sealed class AuthorizationRecorder : DelegatingHandler
    {
        public AuthorizationRecorder()
            : base(new SocketsHttpHandler())
        {
        }

        public bool Called { get; private set; }

        public AuthenticationHeaderValue? LastAuthorization { get; private set; }

        public string? LastAccept { get; private set; }

        public MediaTypeHeaderValue? LastContentType { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Called = true;
            LastAuthorization = request.Headers.Authorization;
            LastAccept = request.Headers.Accept.ToString();
            LastContentType = request.Content?.Headers.ContentType;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
