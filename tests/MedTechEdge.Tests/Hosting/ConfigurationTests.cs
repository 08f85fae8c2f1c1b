using MedTechEdge.Configuration;
using MedTechEdge.Hosting;
using MedTechEdge.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MedTechEdge.Tests.Hosting;

/// <summary>Environment variables are process-wide: these tests run alone.</summary>
[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;

[Collection(nameof(EnvironmentCollection))]
public sealed class ConfigurationTests
{
    [Fact]
    public void Environment_Variables_Override_Appsettings_And_The_Command_Line_Overrides_Both()
    {
        var variables = new Dictionary<string, string>
        {
            ["MedTechEdge__Mqtt__Port"] = "1999",
            ["MedTechEdge__Fhir__Url"] = "http://127.0.0.1:9/fhir",
            ["MedTechEdge__Store__Path"] = "/tmp/from-env.db",
            ["MedTechEdge__Store__Durability"] = "Normal",
            ["MedTechEdge__Mappings__Device"] = "mappings/devicecontent.json",
        };
        foreach ((string name, string value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            using IHost host = ModuleHost.Build(["--MedTechEdge:Mqtt:Port=2000", "--simulate"]);
            MedTechEdgeOptions options = host.Services.GetRequiredService<MedTechEdgeOptions>();
            Assert.Equal(2000, options.Mqtt.Port);
            Assert.Equal("http://127.0.0.1:9/fhir", options.Fhir.Url);
            Assert.Equal("/tmp/from-env.db", options.Store.Path);
            Assert.Equal(StoreDurability.Normal, options.Store.Durability);
            Assert.True(options.Simulator.Enabled);
        }
        finally
        {
            foreach (string name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }
}
