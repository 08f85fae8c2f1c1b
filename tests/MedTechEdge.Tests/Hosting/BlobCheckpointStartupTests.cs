using MedTechEdge.Hosting;

namespace MedTechEdge.Tests.Hosting;

/// <summary>
/// <c>EventHubIngress:CheckpointStore = Blob</c>: settings the Blob store cannot use stop the start with the setting's
/// name and never its value. (A usable container is exercised end to end by EventHubScaleOutTests.)
/// </summary>
public sealed class BlobCheckpointStartupTests
{
    private const string Hub = "--MedTechEdge:EventHubIngress:ConnectionString=Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=listen;SharedAccessKey=c2VjcmV0LWtleQ==;EntityPath=vitals;UseDevelopmentEmulator=true";

    [Fact]
    public void A_Blob_Store_Without_A_Container_Is_Refused_By_Name()
    {
        var ex = Assert.Throws<ModuleStartupException>(() => Build("--MedTechEdge:EventHubIngress:Blob:ConnectionString=UseDevelopmentStorage=true"));
        Assert.Contains("MedTechEdge:EventHubIngress:Blob:ContainerName", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Blob_Store_Needs_Exactly_One_Of_Connection_String_And_Service_Uri()
    {
        var neither = Assert.Throws<ModuleStartupException>(() => Build("--MedTechEdge:EventHubIngress:Blob:ContainerName=checkpoints"));
        Assert.Contains("MedTechEdge:EventHubIngress:Blob:ConnectionString", neither.Message, StringComparison.Ordinal);
        var both = Assert.Throws<ModuleStartupException>(() => Build(
            "--MedTechEdge:EventHubIngress:Blob:ContainerName=checkpoints",
            "--MedTechEdge:EventHubIngress:Blob:ConnectionString=UseDevelopmentStorage=true",
            "--MedTechEdge:EventHubIngress:Blob:ServiceUri=https://contoso.blob.core.windows.net"));
        Assert.Contains("MedTechEdge:EventHubIngress:Blob:ServiceUri", both.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Malformed_Connection_String_Is_Refused_Without_Echoing_It()
    {
        const string Secret = "AccountKey=not-a-connection-string-s3cret";
        var ex = Assert.Throws<ModuleStartupException>(() => Build(
            "--MedTechEdge:EventHubIngress:Blob:ContainerName=checkpoints",
            "--MedTechEdge:EventHubIngress:Blob:ConnectionString=" + Secret));
        Assert.Contains("MedTechEdge:EventHubIngress:Blob:ConnectionString", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    private static void Build(params string[] blob)
    {
        string store = Path.Combine(Path.GetTempPath(), "medtechedge-blobstart-" + Guid.NewGuid().ToString("N"), "store.db");
        using Microsoft.Extensions.Hosting.IHost host = ModuleHost.Build(
        [
            "--MedTechEdge:Mqtt:Enabled=false",
            "--MedTechEdge:Metrics:Port=0",
            "--MedTechEdge:Store:Path=" + store,
            "--MedTechEdge:EventHubIngress:Enabled=true",
            Hub,
            "--MedTechEdge:EventHubIngress:CheckpointStore=Blob",
            .. blob,
        ]);
    }
}
