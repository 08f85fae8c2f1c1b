using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace MedTechEdge.JsonPath.Tests.Differential;

/// <summary>
/// A <see cref="VirtualObject"/> root must select exactly what the same object composed into one document selects:
/// same nodes, same order, with the virtual root itself reported as <c>default</c> where the composed root is
/// selected. Members are parsed lazily and scans skip members by their text, so this covers both shortcuts on
/// generated documents and paths, with and without the extra member. Cases: <c>MEDTECHEDGE_DIFF_CASES</c>.
/// </summary>
public sealed class VirtualObjectDifferentialTests
{
    private readonly ITestOutputHelper _output;

    public VirtualObjectDifferentialTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Virtual_Root_Selects_What_The_Composed_Document_Selects()
    {
        int cases = int.TryParse(Environment.GetEnvironmentVariable("MEDTECHEDGE_DIFF_CASES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 3000;
        var random = new Random(20261121);
        var documents = new DocumentGenerator(random);
        var paths = new PathGenerator(random);
        int compared = 0, nonEmpty = 0, skippedReads = 0;
        var failures = new StringBuilder();
        int failureCount = 0;
        for (int i = 0; i < cases; i++)
        {
            string body = documents.Next();
            string properties = NextObject(documents);
            string system = NextObject(documents);
            string path = random.Next(4) == 0 ? "$.matchedToken" + paths.Next().TrimStart('$') : paths.Next();
            if (!JsonPathExpression.TryParse(path, JsonPathDialect.MedTech, out JsonPathExpression? expression, out _))
            {
                continue;
            }

            string composedText = $"{{\"Body\":{body},\"Properties\":{properties},\"SystemProperties\":{system}}}";
            using JsonDocument composed = JsonDocument.Parse(composedText);
            using JsonDocument extra = JsonDocument.Parse(random.Next(2) == 0 ? body : """{"heartRate":1,"a":{"b":2}}""");
            bool withExtra = random.Next(2) == 0;
            using var root = new TextObject(body, properties, system);

            var expected = new List<JsonElement>();
            var actual = new List<JsonElement>();
            if (withExtra)
            {
                expression.Select(composed.RootElement, "matchedToken", extra.RootElement, expected);
                expression.Select(root, "matchedToken", extra.RootElement, actual);
            }
            else
            {
                expression.Select(composed.RootElement, expected);
                expression.Select(root, null, default, actual);
            }

            string want = Describe(expected);
            string got = Describe(actual, composed.RootElement);
            compared++;
            nonEmpty += expected.Count > 0 ? 1 : 0;
            skippedReads += root.Reads < 3 ? 1 : 0;
            if (want != got && ++failureCount <= 10)
            {
                failures.Append(path).Append(withExtra ? " (with matchedToken)" : string.Empty).Append("\n  envelope: ").Append(composedText)
                    .Append("\n  virtual: ").Append(got).Append("\n  composed: ").Append(want).Append('\n');
            }
        }

        _output.WriteLine($"{compared} compared, {nonEmpty} non-empty, {skippedReads} left a member unread, {failureCount} disagree");
        Assert.True(failureCount == 0, $"{failureCount} cases disagree:\n{failures}");
        Assert.True(nonEmpty > compared / 5, $"only {nonEmpty} cases selected anything");
        Assert.True(skippedReads > compared / 10, $"only {skippedReads} cases left a member unread: the lazy path is not exercised");
    }

    [Fact]
    public void A_Scan_For_A_Name_Does_Not_Read_A_Member_Whose_Text_Lacks_It()
    {
        using var root = new TextObject("""{"heartRate":72}""", "{}", """{"iothub-connection-device-id":"d1"}""");
        var output = new List<JsonElement>();

        JsonPathExpression.Parse("$..[?(@heartRate)]", JsonPathDialect.MedTech).Select(root, null, default, output);

        Assert.Equal(72, Assert.Single(output).GetProperty("heartRate").GetInt32());
        Assert.Equal(1, root.Reads);
    }

    [Fact]
    public void Selecting_The_Virtual_Root_Yields_Undefined()
    {
        using var root = new TextObject("""{"heartRate":72}""", "{}", "{}");
        var output = new List<JsonElement>();

        JsonPathExpression.Parse("$..[?(@Body.heartRate)]", JsonPathDialect.MedTech).Select(root, null, default, output);

        Assert.Equal(JsonValueKind.Undefined, Assert.Single(output).ValueKind);
    }

    [Fact]
    public void Rfc9535_Expressions_Refuse_A_Virtual_Root()
    {
        using var root = new TextObject("1", "{}", "{}");
        Assert.Throws<InvalidOperationException>(() => JsonPathExpression.Parse("$.Body", JsonPathDialect.Rfc9535).Select(root, null, default, []));
    }

    private static string NextObject(DocumentGenerator documents)
    {
        while (true)
        {
            string text = documents.Next();
            if (text.StartsWith('{'))
            {
                return text;
            }
        }
    }

    private static string Describe(List<JsonElement> nodes, JsonElement composedRoot = default)
    {
        var sb = new StringBuilder("[");
        foreach (JsonElement node in nodes)
        {
            JsonElement shown = node.ValueKind == JsonValueKind.Undefined ? composedRoot : node;
            sb.Append(shown.ValueKind == JsonValueKind.Undefined ? "<undefined>" : shown.GetRawText()).Append(',');
        }

        return sb.Append(']').ToString();
    }

    /// <summary>The envelope shape, each member parsed from its own text on first read.</summary>
    private sealed class TextObject : VirtualObject, IDisposable
    {
        private static readonly VirtualObjectMembers Members = new("Body", "Properties", "SystemProperties");

        private readonly string[] _texts;
        private readonly JsonDocument?[] _documents = new JsonDocument?[3];

        public TextObject(string body, string properties, string system)
            : base(Members) => _texts = [body, properties, system];

        public int Reads { get; private set; }

        public override JsonElement GetMemberValue(int index)
        {
            if (_documents[index] is null)
            {
                Reads++;
                _documents[index] = JsonDocument.Parse(_texts[index]);
            }

            return _documents[index]!.RootElement;
        }

        public override bool MayContainMemberName(int index, string name)
            => _texts[index].Contains('"' + name + '"', StringComparison.Ordinal) || _texts[index].Contains('\\', StringComparison.Ordinal);

        public void Dispose()
        {
            foreach (JsonDocument? document in _documents)
            {
                document?.Dispose();
            }
        }
    }
}
