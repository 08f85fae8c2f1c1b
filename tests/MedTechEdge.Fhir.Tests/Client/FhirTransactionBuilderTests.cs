using System.Text;
using System.Text.Json;
using MedTechEdge.Fhir.Client;

namespace MedTechEdge.Fhir.Tests.Client;

public sealed class FhirTransactionBuilderTests
{
    private static readonly byte[] s_observation = """{"resourceType":"Observation","id":"o1","status":"final"}"""u8.ToArray();
    private static readonly byte[] s_device = """{"resourceType":"Device"}"""u8.ToArray();

    [Fact]
    public void Build_Writes_Exact_Transaction_Bundle()
    {
        using var builder = new FhirTransactionBuilder();
        builder.AddPut("Observation", "o1", s_observation, ifMatch: "W/\"2\"");
        builder.AddPost("Device", s_device, ifNoneExist: "identifier=urn:x|1", fullUrl: "urn:uuid:0b0f8d4e-8d4e-4c1b-9f3a-2d8e4f6a7b9c");

        string json = Encoding.UTF8.GetString(builder.Build().Span);

        Assert.Equal(
            """{"resourceType":"Bundle","type":"transaction","entry":[""" +
            """{"resource":{"resourceType":"Observation","id":"o1","status":"final"},"request":{"method":"PUT","url":"Observation/o1","ifMatch":"W/\u00222\u0022"}},""" +
            """{"fullUrl":"urn:uuid:0b0f8d4e-8d4e-4c1b-9f3a-2d8e4f6a7b9c","resource":{"resourceType":"Device"},"request":{"method":"POST","url":"Device","ifNoneExist":"identifier=urn:x|1"}}]}""",
            json);
    }

    [Fact]
    public void Output_Parses_With_Entries_In_Order()
    {
        using var builder = new FhirTransactionBuilder();
        builder.AddPost("Device", s_device);
        builder.AddConditionalPut("Observation", "?identifier=urn:x|7", s_observation);
        builder.AddPut("Observation", "o1", s_observation);

        using JsonDocument bundle = JsonDocument.Parse(builder.Build());

        JsonElement[] entries = [.. bundle.RootElement.GetProperty("entry").EnumerateArray()];
        Assert.Equal(3, entries.Length);
        Assert.Equal("POST", entries[0].GetProperty("request").GetProperty("method").GetString());
        Assert.Equal("Observation?identifier=urn:x|7", entries[1].GetProperty("request").GetProperty("url").GetString());
        Assert.Equal("Observation/o1", entries[2].GetProperty("request").GetProperty("url").GetString());
        Assert.Equal("final", entries[2].GetProperty("resource").GetProperty("status").GetString());
        Assert.False(entries[2].TryGetProperty("fullUrl", out _));
        Assert.False(entries[2].GetProperty("request").TryGetProperty("ifMatch", out _));
    }

    [Fact]
    public void A_Batch_Of_Reads_Has_Get_Entries_Without_Resources()
    {
        using var builder = new FhirTransactionBuilder(FhirBundleType.Batch);
        builder.AddRead("Observation", "a");
        builder.AddRead("Observation", "b");

        Assert.Equal(
            """{"resourceType":"Bundle","type":"batch","entry":[""" +
            """{"request":{"method":"GET","url":"Observation/a"}},{"request":{"method":"GET","url":"Observation/b"}}]}""",
            Encoding.UTF8.GetString(builder.Build().Span));
        Assert.Equal(2, builder.Count);
    }

    [Fact]
    public void Bare_Version_IfMatch_Is_Written_As_Weak_ETag()
    {
        using var builder = new FhirTransactionBuilder();
        builder.AddPut("Observation", "o1", s_observation, ifMatch: "7");

        using JsonDocument bundle = JsonDocument.Parse(builder.Build());

        Assert.Equal("W/\"7\"", bundle.RootElement.GetProperty("entry")[0].GetProperty("request").GetProperty("ifMatch").GetString());
    }

    [Fact]
    public void Batch_Type_Is_Written()
    {
        using var builder = new FhirTransactionBuilder(FhirBundleType.Batch);
        builder.AddPost("Device", s_device);

        using JsonDocument bundle = JsonDocument.Parse(builder.Build());

        Assert.Equal("batch", bundle.RootElement.GetProperty("type").GetString());
        Assert.Equal(FhirBundleType.Batch, builder.Type);
    }

    [Theory]
    [InlineData("""{"resourceType":"Device" """)]
    [InlineData("""[{"resourceType":"Device"}]""")]
    [InlineData("""{"resourceType":"Device"} {}""")]
    [InlineData("")]
    public void Resource_That_Is_Not_One_Json_Object_Is_Rejected_And_Bundle_Stays_Valid(string resource)
    {
        using var builder = new FhirTransactionBuilder();
        builder.AddPost("Device", s_device);

        Assert.ThrowsAny<ArgumentException>(() => builder.AddPost("Device", Encoding.UTF8.GetBytes(resource)));

        Assert.Equal(1, builder.Count);
        using JsonDocument bundle = JsonDocument.Parse(builder.Build());
        Assert.Equal(1, bundle.RootElement.GetProperty("entry").GetArrayLength());
    }

    [Fact]
    public void Build_Without_Entries_Throws()
    {
        using var builder = new FhirTransactionBuilder();

        Assert.Throws<InvalidOperationException>(() => builder.Build());
    }

    [Fact]
    public void Adding_After_Build_Throws_And_Build_Is_Repeatable()
    {
        using var builder = new FhirTransactionBuilder();
        builder.AddPost("Device", s_device);
        byte[] first = builder.Build().ToArray();

        Assert.Throws<InvalidOperationException>(() => builder.AddPost("Device", s_device));
        Assert.Equal(first, builder.Build().ToArray());
    }

    [Fact]
    public void Reset_Starts_A_New_Bundle()
    {
        using var builder = new FhirTransactionBuilder();
        builder.AddPost("Device", s_device);
        builder.AddPost("Device", s_device);
        builder.Build();

        builder.Reset();
        builder.AddPut("Observation", "o1", s_observation);

        Assert.Equal(1, builder.Count);
        using JsonDocument bundle = JsonDocument.Parse(builder.Build());
        Assert.Equal("transaction", bundle.RootElement.GetProperty("type").GetString());
        Assert.Equal(1, bundle.RootElement.GetProperty("entry").GetArrayLength());
    }

    [Fact]
    public void Large_Bundles_Grow_The_Pooled_Buffer()
    {
        string note = new('x', 2000);
        byte[] resource = Encoding.UTF8.GetBytes($$"""{"resourceType":"Observation","status":"final","note":[{"text":"{{note}}"}]}""");
        using var builder = new FhirTransactionBuilder();
        for (int i = 0; i < 200; i++)
        {
            builder.AddPut("Observation", "o" + i, resource);
        }

        ReadOnlyMemory<byte> built = builder.Build();

        Assert.True(built.Length > 200 * 2000);
        using JsonDocument bundle = JsonDocument.Parse(built);
        Assert.Equal(200, bundle.RootElement.GetProperty("entry").GetArrayLength());
        Assert.Equal("Observation/o199", bundle.RootElement.GetProperty("entry")[199].GetProperty("request").GetProperty("url").GetString());
    }
}
