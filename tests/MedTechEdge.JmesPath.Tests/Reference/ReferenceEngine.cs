using System.Text.RegularExpressions;
using DevLab.JmesPath.Expressions;
using Newtonsoft.Json.Linq;
using ReferenceExpression = DevLab.JmesPath.Expressions.JmesPathExpression;
using ReferenceJmesPath = DevLab.JmesPath.JmesPath;

namespace MedTechEdge.JmesPath.Tests.Reference;

/// <summary>
/// JmesPath.Net 1.1.0 (the library of the open-source MedTech connector) with the MedTech functions registered,
/// used only to referee our engine. One instance per test: JmesPath.Net functions keep per-call state
/// (<c>SetContext</c>), so an instance must not be shared between threads.
/// </summary>
internal sealed partial class ReferenceEngine
{
    private readonly ReferenceJmesPath _jmesPath = new();
    private readonly Dictionary<string, Outcome<ReferenceExpression>> _parsed = new(StringComparer.Ordinal);

    public ReferenceEngine()
    {
        ReferenceMedTechFunctions.RegisterAll(_jmesPath.FunctionRepository);
    }

    /// <summary>Reads JSON as JmesPath.Net does: no date parsing, so ISO strings in the input stay strings.</summary>
    public static JToken ParseJson(string json) => ReferenceJmesPath.ParseJson(json);

    /// <summary>Evaluates; parse and evaluation failures both become an error outcome. Parses each text once.</summary>
    public Outcome<JmesPathArgument> Evaluate(string expression, JToken root)
    {
        if (!_parsed.TryGetValue(expression, out Outcome<ReferenceExpression> parsed))
        {
            parsed = Outcome.Capture(() => _jmesPath.Parse(expression), ErrorKindOf);
            _parsed[expression] = parsed;
        }

        if (parsed.Error is not null)
        {
            return Outcome.Failed<JmesPathArgument>(parsed.Error, parsed.ErrorKind);
        }

        return Outcome.Capture(() => parsed.Value!.Transform(new JmesPathArgument(root)), ErrorKindOf);
    }

    /// <summary>
    /// The connector's type-match rule (medtech-semantics §2.3): a projection yields each item, anything else yields
    /// itself unless it is null.
    /// </summary>
    public static List<JToken> Matches(JmesPathArgument result)
    {
        if (result.IsProjection)
        {
            return result.Projection.Select(item => item.AsJToken()).ToList();
        }

        JToken token = result.AsJToken();
        return token.Type == JTokenType.Null ? [] : [token];
    }

    /// <summary>
    /// The envelope plus a top-level <c>matchedToken</c>, as the connector builds it (a copy; ours overlays instead).
    /// </summary>
    public static JToken WithMatchedToken(JToken envelope, JToken match)
    {
        var copy = (JObject)envelope.DeepClone();
        copy["matchedToken"] = match.DeepClone();
        return copy;
    }

    /// <summary>
    /// JmesPath.Net reports errors as plain exceptions whose message starts with the specification's error class:
    /// "Error: invalid-type, ..." or, from its scanner, "Error(1, 4): syntax, ...". Other exceptions (.NET's own,
    /// such as DivideByZeroException from a MedTech function) have no class: null.
    /// </summary>
    private static string? ErrorKindOf(Exception exception)
    {
        Match match = ErrorClass().Match(exception.Message);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"^Error(?:\(\d+, \d+\))?: ([a-z-]+)")]
    private static partial Regex ErrorClass();
}
