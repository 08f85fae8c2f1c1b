using System.Text.Json;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MedTechEdge.JsonPath.Tests.Differential;

/// <summary>
/// Newtonsoft.Json 13.0.3 <c>SelectTokens</c> as the reference for the MedTech dialect, and a canonical JSON
/// text for comparing its tokens with our <see cref="JsonElement"/> results.
/// </summary>
internal static class NewtonsoftOracle
{
    /// <summary>The outcome of one query on one engine: either the canonical texts of the nodes, or a rejection.</summary>
    public sealed record Outcome(IReadOnlyList<string>? Nodes, string? Error, JsonPathFault? Fault = null)
    {
        public bool Rejected => Nodes is null;

        /// <summary>Ours only: the evaluation reported where Json.NET throws (D4).</summary>
        public bool Faulted => Fault is not null;

        public override string ToString() => Rejected ? "rejected: " + Error : "[" + string.Join(",", Nodes!) + "]";
    }

    /// <summary>
    /// Reads JSON the way the MedTech connector reads device messages, except DateParseHandling.None: the
    /// date-string quirk (medtech-semantics §1, §3.9) belongs to the mapping layer, not to JSONPath.
    /// Floats stay doubles (FloatParseHandling.Double, Json.NET's default, which MedTech uses).
    /// </summary>
    public static JToken ParseDocument(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Double,
        };
        return JToken.ReadFrom(reader);
    }

    public static string Canonical(JToken token) => token.ToString(Formatting.None);

    public static string Canonical(JsonElement element) => Canonical(ParseDocument(element.GetRawText()));

    public static Outcome RunNewtonsoft(string document, string path, out Exception? exception)
    {
        exception = null;
        try
        {
            JToken root = ParseDocument(document);
            var nodes = new List<string>();
            foreach (JToken token in root.SelectTokens(path, errorWhenNoMatch: false))
            {
                nodes.Add(token is JProperty ? "<JProperty " + Canonical(token) + ">" : Canonical(token));
            }

            return new Outcome(nodes, null);
        }
        catch (Exception e)
        {
            exception = e;
            return new Outcome(null, e.GetType().Name + ": " + e.Message);
        }
    }

    public static Outcome RunOurs(string document, string path, JsonPathDialect dialect = JsonPathDialect.MedTech)
    {
        if (!JsonPathExpression.TryParse(path, dialect, out JsonPathExpression? expression, out JsonPathException? error))
        {
            return new Outcome(null, error.Message);
        }

        using JsonDocument json = JsonDocument.Parse(document);
        var output = new List<JsonElement>();
        if (expression.Select(json.RootElement, output) is { } fault)
        {
            return new Outcome(null, "fault: " + fault.Message, fault);
        }

        var nodes = new List<string>(output.Count);
        foreach (JsonElement element in output)
        {
            nodes.Add(Canonical(element));
        }

        return new Outcome(nodes, null);
    }

    /// <summary>
    /// MedTech's own evaluation of value expressions: a copy of the envelope with <c>matchedToken</c> set, then
    /// <c>SelectTokens</c> on the copy.
    /// </summary>
    public static Outcome RunNewtonsoftOnEnvelopeCopy(string document, string match, string path, out Exception? exception, out bool selectedRoot)
    {
        exception = null;
        selectedRoot = false;
        try
        {
            var copy = (JObject)ParseDocument(document).DeepClone();
            copy["matchedToken"] = ParseDocument(match);
            var nodes = new List<string>();
            foreach (JToken token in copy.SelectTokens(path, errorWhenNoMatch: false))
            {
                selectedRoot |= ReferenceEquals(token, copy);
                nodes.Add(token is JProperty ? "<JProperty " + Canonical(token) + ">" : Canonical(token));
            }

            return new Outcome(nodes, null);
        }
        catch (Exception e)
        {
            exception = e;
            return new Outcome(null, e.GetType().Name + ": " + e.Message);
        }
    }

    public static Outcome RunOursWithExtraMember(string document, string match, string path)
    {
        if (!JsonPathExpression.TryParse(path, JsonPathDialect.MedTech, out JsonPathExpression? expression, out JsonPathException? error))
        {
            return new Outcome(null, error.Message);
        }

        using JsonDocument json = JsonDocument.Parse(document);
        using JsonDocument extra = JsonDocument.Parse(match);
        var output = new List<JsonElement>();
        if (expression.Select(json.RootElement, "matchedToken", extra.RootElement, output) is { } fault)
        {
            return new Outcome(null, "fault: " + fault.Message, fault);
        }

        var nodes = new List<string>(output.Count);
        foreach (JsonElement element in output)
        {
            nodes.Add(Canonical(element));
        }

        return new Outcome(nodes, null);
    }

    /// <summary>The exceptions Json.NET's <c>JValue.CompareTo</c> raises converting an operand (D4).</summary>
    public static bool IsConversionFailure(Exception? exception) => exception is FormatException or OverflowException;

    public static bool Agree(Outcome ours, Outcome theirs)
        => ours.Rejected ? theirs.Rejected : !theirs.Rejected && ours.Nodes!.SequenceEqual(theirs.Nodes!);
}
