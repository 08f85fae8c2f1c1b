using System.Text.RegularExpressions;
using MedTechEdge.Configuration;
using Microsoft.Extensions.Configuration;

namespace MedTechEdge.Tests.Deployment;

/// <summary>
/// The example cloud manifests (docs/cloud), read as the module reads its environment: every <c>MedTechEdge__…</c>
/// variable they set names a real setting and binds to the module's options, so a renamed or misspelt setting in an
/// example fails here instead of being ignored in a user's cluster. Kubernetes and Container Apps do not run here.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class Cloud_Manifest_Tests
{
    public static TheoryData<string> Manifests => new() { "docs/cloud/aks.yaml", "docs/cloud/containerapp.yaml" };

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_Module_Setting_In_The_Example_Binds_To_The_Module_Options(string manifest)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in EnvironmentEntry().Matches(File.ReadAllText(Path.Combine(Deployment_Manifest_Tests.Root, manifest))))
        {
            // Environment variables use "__" where configuration keys use ":"; placeholders stand for strings.
            string value = match.Groups["value"].Value.Trim('"');
            settings[match.Groups["name"].Value.Replace("__", ":", StringComparison.Ordinal)] = value.StartsWith('<') ? "placeholder" : value;
        }

        Assert.True(settings.Count >= 15, $"{manifest}: only {settings.Count} module settings found");
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new MedTechEdgeOptions();
        configuration.GetSection(MedTechEdgeOptions.Section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);

        // The cloud shape the docs promise: the hub is the only way in, Blob checkpoints shared by the replicas, a drain.
        Assert.False(options.Mqtt.Enabled);
        Assert.True(options.EventHubIngress.Enabled);
        Assert.Equal(IngressCheckpointStore.Blob, options.EventHubIngress.CheckpointStore);
        Assert.NotEqual("$Default", options.EventHubIngress.ConsumerGroup);
        Assert.True(options.Pipeline.DrainOnStop > TimeSpan.Zero);
        Assert.NotNull(options.EventHubIngress.Authentication);
        Assert.NotEqual(EventHubConnectionOptions.Credential.SharedAccessKey, options.EventHubIngress.Authentication);
    }

    [GeneratedRegex(@"name:\s*(?<name>MedTechEdge__[A-Za-z0-9_]+)\s*,\s*value:\s*(?<value>""[^""]*""|[^}\s]+)")]
    private static partial Regex EnvironmentEntry();
}
