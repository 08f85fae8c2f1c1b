using MedTechEdge.IotEdge;
using MedTechEdge.TestPeers;

namespace MedTechEdge.IotEdge.Tests;

/// <summary>
/// The workload API client against a local server on a unix socket that answers as edgelet does (the real runtime is
/// not available here): it signs with a module key of its own, only what is a string-to-sign for the module, and
/// serves a trust bundle.
/// </summary>
public sealed class WorkloadApiClientTests : IDisposable
{
    private const string ModuleKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    private const string Bundle = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private readonly FakeWorkloadApi _workload = new(ModuleKey, "myhub.azure-devices.net", "dev1", "mod1", "gen-42", Bundle);

    public void Dispose() => _workload.Dispose();

    [Fact]
    public async Task A_Module_Token_Signed_By_The_Workload_Api_Equals_One_Signed_With_The_Key()
    {
        using var client = new WorkloadApiClient(Settings());
        DateTimeOffset expires = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);

        string token = await client.CreateModuleTokenAsync(expires);

        string resource = IotHubSasToken.ModuleResource("myhub.azure-devices.net", "dev1", "mod1");
        Assert.Equal(IotHubSasToken.Token(resource, IotHubSasToken.Sign(ModuleKey, IotHubSasToken.StringToSign(resource, expires)), expires), token);
        string request = Assert.Single(_workload.Requests);
        Assert.StartsWith("POST /modules/mod1/genid/gen-42/sign?api-version=2018-06-28 HTTP/1.1", request, StringComparison.Ordinal);
        Assert.Equal(0, _workload.RefusedSignings);
    }

    [Fact]
    public async Task The_Trust_Bundle_Is_Read_As_Pem()
    {
        using var client = new WorkloadApiClient(Settings());

        string pem = await client.GetTrustBundleAsync();

        Assert.Equal(Bundle, pem);
        Assert.StartsWith("GET /trust-bundle?api-version=2018-06-28 HTTP/1.1", Assert.Single(_workload.Requests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Refusal_Carries_The_Apis_Message()
    {
        using var client = new WorkloadApiClient(Settings(module: "unknown"));

        WorkloadApiException ex = await Assert.ThrowsAsync<WorkloadApiException>(() => client.SignAsync("x"));

        Assert.Contains("HTTP 404", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Module not found", ex.Message, StringComparison.Ordinal);
    }

    private IotEdgeSettings Settings(string module = "mod1") => new()
    {
        IotHubHostName = "myhub.azure-devices.net",
        DeviceId = "dev1",
        ModuleId = module,
        WorkloadUri = new Uri("unix://" + _workload.SocketPath),
        GenerationId = "gen-42",
    };
}
