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
        Assert.Contains("no EntityPath", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key", ex.Message, StringComparison.Ordinal);
    }

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
