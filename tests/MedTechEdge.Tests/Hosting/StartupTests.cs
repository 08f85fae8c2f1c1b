using MedTechEdge.Configuration;
using MedTechEdge.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MedTechEdge.Tests.Hosting;

public sealed class StartupTests
{
    [Fact]
    public void A_Missing_Mapping_File_Stops_Startup_And_Names_The_File_And_Setting()
    {
        var ex = Assert.Throws<ModuleStartupException>(() => ModuleHost.Build(["--MedTechEdge:Mappings:Device=/nonexistent/devicecontent.json"]));
        Assert.Contains("/nonexistent/devicecontent.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MedTechEdge:Mappings", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_Invalid_Mapping_Stops_Startup_With_Every_Error_And_Its_Line()
    {
        string file = Path.Combine(Path.GetTempPath(), "bad-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(file, """
            {"templateType":"CollectionContent","template":[
              {"templateType":"CalculatedContent","template":{"typeName":"hr","bogus":1}}]}
            """);
        try
        {
            var ex = Assert.Throws<ModuleStartupException>(() => ModuleHost.Build(["--MedTechEdge:Mappings:Device=" + file]));
            Assert.Contains("Line Number: 2", ex.Message, StringComparison.Ordinal);
            Assert.Contains("Could not find member 'bogus'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("'typeMatchExpression' not found", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_Fhir_Url_That_Is_Not_Http_Is_Refused()
    {
        // Checked while the host is built, before anything starts.
        var ex = Assert.Throws<ModuleStartupException>(() => ModuleHost.Build(["--MedTechEdge:Fhir:Url=ftp://example.org/fhir", "--MedTechEdge:Store:Path=" + Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "s.db")]));
        Assert.Contains("MedTechEdge:Fhir:Url", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_Event_Hub_Sink_Without_A_Valid_Connection_String_Is_Refused_Without_Showing_The_Key()
    {
        using IHost host = ModuleHost.Build([
            "--MedTechEdge:Sink=EventHub",
            "--MedTechEdge:EventHub:ConnectionString=Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=secret-key",
            "--MedTechEdge:Store:Path=" + Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "s.db"),
        ]);
        var ex = Assert.Throws<ModuleStartupException>(() => host.Services.GetRequiredService<MedTechEdge.Pipeline.Sinks.IResourceSink>());
        Assert.Contains("MedTechEdge:EventHub:ConnectionString", ex.Message, StringComparison.Ordinal);
        Assert.Contains("lacks EntityPath", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EventHub:Authentication=ManagedIdentity", "MedTechEdge:EventHub:FullyQualifiedNamespace")]
    [InlineData("EventHub:Authentication=ManagedIdentity|EventHub:FullyQualifiedNamespace=ns.servicebus.windows.net", "MedTechEdge:EventHub:Name")]
    [InlineData("EventHub:Authentication=ManagedIdentity|EventHub:FullyQualifiedNamespace=ns servicebus|EventHub:Name=vitals", "set MedTechEdge:EventHub:FullyQualifiedNamespace to the namespace's host name")]
    [InlineData("EventHub:Authentication=Default|EventHub:FullyQualifiedNamespace=sb://ns.servicebus.windows.net/|EventHub:Name=vitals", "set MedTechEdge:EventHub:FullyQualifiedNamespace to the namespace's host name")]
    [InlineData("EventHub:ConnectionString=Endpoint=sb://ns.servicebus.windows.net/;EntityPath=vitals", "lacks SharedAccessKeyName and SharedAccessKey")]
    [InlineData("EventHub:ConnectionString=Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=very-secret-value;EntityPath=vitals|EventHub:CustomEndpointAddress=not an address", "MedTechEdge:EventHub:CustomEndpointAddress is not an absolute address")]
    [InlineData("EventHub:ConnectionString=Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=very-secret-value;EntityPath=vitals|EventHub:MaxPublicationBytes=0", "MedTechEdge:EventHub:MaxPublicationBytes must be positive")]
    [InlineData("EventHub:Authentication=ClientSecret|EventHub:FullyQualifiedNamespace=ns.servicebus.windows.net|EventHub:Name=vitals|EventHub:ClientSecret=very-secret-value", "set MedTechEdge:EventHub:TenantId, MedTechEdge:EventHub:ClientId.")]
    [InlineData("EventHub:Authentication=ClientSecret|EventHub:FullyQualifiedNamespace=ns.servicebus.windows.net|EventHub:Name=vitals|EventHub:TenantId=not a tenant!|EventHub:ClientId=app|EventHub:ClientSecret=very-secret-value", "MedTechEdge:EventHub:TenantId is not a tenant id")]
    [InlineData("EventHub:Authentication=ManagedIdentity|EventHub:ConnectionString=Endpoint=sb://ns/;SharedAccessKeyName=k;SharedAccessKey=very-secret-value", "MedTechEdge:EventHub:ConnectionString is set too")]
    [InlineData("EventHub:Name=vitals", "set MedTechEdge:EventHub:ConnectionString, or MedTechEdge:EventHub:Authentication")]
    public void An_Event_Hub_Sink_With_Entra_Id_Names_The_Missing_Setting_Without_Showing_A_Secret(string settings, string expected)
    {
        using IHost host = ModuleHost.Build(EventHubSinkArgs(settings));

        var ex = Assert.Throws<ModuleStartupException>(() => host.Services.GetRequiredService<MedTechEdge.Pipeline.Sinks.IResourceSink>());
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-value", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EventHub:Authentication=ManagedIdentity")]
    [InlineData("EventHub:Authentication=ManagedIdentity|EventHub:ClientId=5a2b9f10-0000-4000-8000-000000000001")]
    [InlineData("EventHub:Authentication=ClientSecret|EventHub:TenantId=contoso.onmicrosoft.com|EventHub:ClientId=5a2b9f10-0000-4000-8000-000000000002|EventHub:ClientSecret=s")]
    [InlineData("EventHub:Authentication=Default|EventHub:Transport=AmqpWebSockets")]
    [InlineData("EventHub:Authentication=Default|EventHub:CustomEndpointAddress=amqps://gateway.contoso.com")]
    public void An_Event_Hub_Sink_With_Entra_Id_Starts_With_The_Namespace_And_The_Hub(string settings)
    {
        // Nothing is asked of Entra ID until the first publication, so this needs no network.
        using IHost host = ModuleHost.Build(EventHubSinkArgs(settings + "|EventHub:FullyQualifiedNamespace=ns.servicebus.windows.net|EventHub:Name=vitals"));

        Assert.IsType<MedTechEdge.Pipeline.Sinks.EventHubSink>(host.Services.GetRequiredService<MedTechEdge.Pipeline.Sinks.IResourceSink>());
    }

    /// <summary>The command line of an Event Hubs sink with a fresh store and the given <c>|</c>-separated MedTechEdge settings.</summary>
    private static string[] EventHubSinkArgs(string settings) =>
    [
        "--MedTechEdge:Sink=EventHub",
        "--MedTechEdge:Store:Path=" + Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "s.db"),
        .. settings.Split('|').Select(setting => "--MedTechEdge:" + setting),
    ];

    [Theory]
    [InlineData("Lookup")]
    [InlineData("LookupWithEncounter")]
    public void A_Lookup_Mode_Without_A_Fhir_Server_Is_Refused(string mode)
    {
        var ex = Assert.Throws<ModuleStartupException>(() => ModuleHost.Build(["--MedTechEdge:Pipeline:ResolutionType=" + mode]));
        Assert.Contains("MedTechEdge:Pipeline:ResolutionType", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MedTechEdge:Fhir:Url", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_Serve_The_Run_Command()
    {
        using IHost host = ModuleHost.Build([]);
        MedTechEdgeOptions options = host.Services.GetRequiredService<MedTechEdgeOptions>();
        Assert.Equal("127.0.0.1", options.Mqtt.BindAddress);
        Assert.Equal(1883, options.Mqtt.Port);
        Assert.Equal("./data/medtechedge.db", options.Store.Path);
        Assert.Equal("./data/fhir", options.Output.NdjsonFolder);
        Assert.Equal(string.Empty, options.Fhir.Url);
        Assert.False(options.Simulator.Enabled);
    }
}

public sealed class FhirAuthenticationStartupTests
{
    [Theory]
    [InlineData("ClientSecret", "TenantId, ClientId and ClientSecret")]
    [InlineData("BearerToken", "MedTechEdge:Fhir:BearerToken is empty")]
    public void Incomplete_Authentication_Settings_Stop_Startup_And_Name_The_Settings(string mode, string expected)
    {
        var ex = Assert.Throws<ModuleStartupException>(() => ModuleHost.Build([
            "--MedTechEdge:Fhir:Url=https://fhir.example.org/fhir",
            "--MedTechEdge:Fhir:Authentication=" + mode,
            "--MedTechEdge:Store:Path=" + Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "s.db"),
        ]));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
