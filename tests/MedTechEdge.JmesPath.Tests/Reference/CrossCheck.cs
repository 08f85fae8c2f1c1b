using System.Text.Json;
using DevLab.JmesPath.Expressions;
using Newtonsoft.Json.Linq;

namespace MedTechEdge.JmesPath.Tests.Reference;

/// <summary>
/// Runs one expression through our engine and through JmesPath.Net over the same JSON text and says whether they
/// agree. Both engines parse each expression text once and reuse it, so a whole corpus runs in well under a second.
/// </summary>
internal sealed class CrossCheck
{
    private readonly ReferenceEngine _reference = new();
    private readonly Dictionary<string, Outcome<JmesPathExpression>> _ours = new(StringComparer.Ordinal);
    private readonly JmesPathFunctionSet _functions;

    public CrossCheck(JmesPathFunctionSet functions)
    {
        _functions = functions;
    }

    /// <summary>How many expressions went through both engines.</summary>
    public int Compared { get; private set; }

    public CaseResult Compare(string expression, JsonElement ourRoot, JToken theirRoot)
    {
        Outcome<JmesPathExpression> parsed = ParseOurs(expression);
        Outcome<JmesPathValue> ours = parsed.Failed
            ? Outcome.Failed<JmesPathValue>(parsed.Error!, parsed.ErrorKind)
            : Outcome.Capture(() => parsed.Value!.Evaluate(ourRoot), Outcome.KindOf);
        return Judge(expression, ours, _reference.Evaluate(expression, theirRoot));
    }

    /// <summary>
    /// Evaluates over the envelope plus <c>matchedToken</c>: ours through the overlay, JmesPath.Net over a copy of
    /// the envelope with the member added, as the connector does.
    /// </summary>
    public CaseResult CompareWithMatch(string expression, JsonElement ourEnvelope, JmesPathValue ourMatch, JToken theirEnvelopeWithMatch)
    {
        Outcome<JmesPathExpression> parsed = ParseOurs(expression);
        Outcome<JmesPathValue> ours = parsed.Failed
            ? Outcome.Failed<JmesPathValue>(parsed.Error!, parsed.ErrorKind)
            : Outcome.Capture(() => parsed.Value!.Evaluate(ourEnvelope, "matchedToken", ourMatch), Outcome.KindOf);
        return Judge(expression, ours, _reference.Evaluate(expression, theirEnvelopeWithMatch));
    }

    private Outcome<JmesPathExpression> ParseOurs(string expression)
    {
        if (!_ours.TryGetValue(expression, out Outcome<JmesPathExpression> parsed))
        {
            parsed = Outcome.Capture(() => JmesPathExpression.Parse(expression, _functions), Outcome.KindOf);
            _ours[expression] = parsed;
        }

        return parsed;
    }

    private CaseResult Judge(string expression, Outcome<JmesPathValue> ours, Outcome<JmesPathArgument> theirs)
    {
        Compared++;
        string? difference = (ours.Failed, theirs.Failed) switch
        {
            (true, true) => ours.ErrorKind is not null && theirs.ErrorKind is not null && ours.ErrorKind != theirs.ErrorKind
                ? $"error classes differ: ours {ours.ErrorKind}, JmesPath.Net {theirs.ErrorKind} ({theirs.Error!.Message})"
                : null,
            (true, false) => $"ours fails ({ours.ErrorKind ?? ours.Error!.GetType().Name}), JmesPath.Net gives {theirs.Value.AsJToken().ToString(Newtonsoft.Json.Formatting.None)}",
            (false, true) => $"ours gives {ours.Value.ToJsonString()}, JmesPath.Net fails ({theirs.Error!.GetType().Name}: {theirs.Error.Message})",
            _ => ResultComparer.Difference(ours.Value, theirs.Value.AsJToken()),
        };

        return new CaseResult(expression, ours, theirs, difference);
    }
}

/// <summary>Both engines' outcomes for one expression; <see cref="Difference"/> is null when they agree.</summary>
internal sealed record CaseResult(string Expression, Outcome<JmesPathValue> Ours, Outcome<JmesPathArgument> Theirs, string? Difference);
