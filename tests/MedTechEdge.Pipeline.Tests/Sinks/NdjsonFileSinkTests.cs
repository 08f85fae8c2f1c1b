using System.Text;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Tests.Sinks;

public sealed class NdjsonFileSinkTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-ndjson-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static OutboxRecord Record(string type, string id) =>
        new() { DeviceId = "d", ResourceType = type, ResourceId = id, Body = Encoding.UTF8.GetBytes($$"""{"resourceType":"{{type}}","id":"{{id}}"}""") };

    [Fact]
    public async Task Each_Resource_Type_Gets_Its_Own_File_One_Resource_Per_Line()
    {
        using (var sink = new NdjsonFileSink(_folder))
        {
            SinkResult result = await sink.WriteAsync([Record("Patient", "p"), Record("Observation", "o1"), Record("Observation", "o2")], CancellationToken.None);
            Assert.True(result.IsSuccessful);
        }

        Assert.Equal(["""{"resourceType":"Observation","id":"o1"}""", """{"resourceType":"Observation","id":"o2"}"""], File.ReadAllLines(Path.Combine(_folder, "Observation.ndjson")));
        Assert.Single(File.ReadAllLines(Path.Combine(_folder, "Patient.ndjson")));
    }

    [Fact]
    public async Task A_Line_Torn_By_A_Crash_Is_Cut_Off_Before_Appending()
    {
        Directory.CreateDirectory(_folder);
        string path = Path.Combine(_folder, "Observation.ndjson");
        File.WriteAllText(path, "{\"resourceType\":\"Observation\",\"id\":\"whole\"}\n{\"resourceType\":\"Obs");

        using (var sink = new NdjsonFileSink(_folder))
        {
            await sink.WriteAsync([Record("Observation", "next")], CancellationToken.None);
        }

        Assert.Equal(["""{"resourceType":"Observation","id":"whole"}""", """{"resourceType":"Observation","id":"next"}"""], File.ReadAllLines(path));
    }
}
