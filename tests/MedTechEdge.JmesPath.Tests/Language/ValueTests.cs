using System.Text;
using System.Text.Json;

namespace MedTechEdge.JmesPath.Tests.Language;

/// <summary>The public value view: kinds, the integer/float distinction, accessors and JSON output.</summary>
public sealed class ValueTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("-42", true)]
    [InlineData("1.0", false)]
    [InlineData("1e2", false)]
    [InlineData("9223372036854775808", false)]
    public void A_number_is_an_integer_only_when_written_as_one_within_64_bits(string json, bool isInteger)
    {
        JmesPathValue value = JmesPathValue.FromJsonElement(Eval.Document(json));

        Assert.Equal(JmesPathValueKind.Number, value.Kind);
        Assert.Equal(isInteger, value.IsInteger);
        Assert.Equal(isInteger, value.TryGetInt64(out _));
        Assert.True(value.TryGetDouble(out _));
    }

    [Fact]
    public void Numbers_from_the_document_keep_their_text()
    {
        Assert.Equal("[1.50,2E3]", Eval.Standard("a", """{"a": [1.50, 2E3]}""").ToJsonString());
    }

    [Fact]
    public void To_number_of_an_integer_string_is_an_integer()
    {
        Assert.True(Eval.Standard("to_number('70')").IsInteger);
        Assert.False(Eval.Standard("to_number('70.5')").IsInteger);
        Assert.True(Eval.Standard("to_number(' 70')").IsNull);
    }

    [Fact]
    public void Values_from_the_document_expose_their_element()
    {
        JsonElement root = Eval.Document("""{"a": {"b": 1}}""");

        Assert.True(JmesPathExpression.Parse("a").Evaluate(root).TryGetJsonElement(out JsonElement element));
        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        Assert.False(Eval.Standard("`1` == `1`").TryGetJsonElement(out _));
    }

    [Fact]
    public void Arrays_and_objects_can_be_enumerated()
    {
        JmesPathValue result = Eval.Standard("{n: a[*].b, o: o}", """{"a": [{"b": 1}, {"b": 2}], "o": {"x": true}}""");

        Assert.Equal(JmesPathValueKind.Object, result.Kind);
        var names = new List<string>();
        foreach (KeyValuePair<string, JmesPathValue> member in result.EnumerateObject())
        {
            names.Add(member.Key);
        }

        Assert.Equal(["n", "o"], names);
        Assert.True(result.TryGetProperty("n", out JmesPathValue numbers));
        Assert.Equal(2, numbers.GetArrayLength());
        long total = 0;
        foreach (JmesPathValue item in numbers.EnumerateArray())
        {
            Assert.True(item.TryGetInt64(out long value));
            total += value;
        }

        Assert.Equal(3, total);
    }

    [Fact]
    public void WriteTo_emits_compact_json_escaping_only_characters_outside_the_basic_plane()
    {
        JmesPathValue result = Eval.Standard("[name, `null`, `true`, length(name)]", """{"name": "Zoë 😀"}""");
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            result.WriteTo(writer);
        }

        Assert.Equal("[\"Zoë \\uD83D\\uDE00\",null,true,5]", result.ToJsonString());
        Assert.StartsWith("[", Encoding.UTF8.GetString(buffer.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void Default_is_null()
    {
        JmesPathValue value = default;

        Assert.True(value.IsNull);
        Assert.Equal("null", value.ToJsonString());
    }

    [Fact]
    public void Accessors_reject_the_wrong_kind()
    {
        JmesPathValue text = Eval.Standard("'x'");

        Assert.False(text.TryGetDouble(out _));
        Assert.Throws<InvalidOperationException>(() => text.GetArrayLength());
        Assert.Throws<InvalidOperationException>(() => text.GetBoolean());
        Assert.False(text.TryGetProperty("a", out _));
    }
}
