using System.Text.Json;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace MedTechEdge.JmesPath.Tests.Reference;

/// <summary>
/// Generated MedTech-style expressions (<see cref="MedTechCorpus"/>) through our engine and JmesPath.Net with the
/// MedTech functions. They must agree, except where docs/jmespath.md ("Deliberate differences") says otherwise;
/// those cases are sorted into their documented category, and anything else fails the test.
/// </summary>
public sealed class MedTechRefereeTests
{
    private readonly ITestOutputHelper _output;

    public MedTechRefereeTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Type_matches_and_value_expressions_agree_with_JmesPath_Net_for_every_envelope()
    {
        var check = new CrossCheck(JmesPathFunctionSet.MedTech);
        var tally = new DifferenceTally();
        int matchesCompared = 0;

        foreach (string envelopeJson in MedTechCorpus.Envelopes)
        {
            using JsonDocument envelope = JsonDocument.Parse(envelopeJson);
            JToken theirEnvelope = ReferenceEngine.ParseJson(envelopeJson);
            foreach (string typeMatch in MedTechCorpus.TypeMatches)
            {
                CaseResult selected = check.Compare(typeMatch, envelope.RootElement, theirEnvelope);
                if (selected.Difference is not null)
                {
                    tally.Add(selected, $"{typeMatch} over envelope {Array.IndexOf(MedTechCorpus.Envelopes, envelopeJson)}");
                    continue;
                }

                if (selected.Ours.Failed)
                {
                    continue;
                }

                // The type match's select-many rule depends on the projection flag: both engines must agree on it.
                if (selected.Ours.Value.IsProjectionResult != selected.Theirs.Value.IsProjection)
                {
                    Assert.Fail($"{typeMatch}: projection flag ours {selected.Ours.Value.IsProjectionResult}, JmesPath.Net {selected.Theirs.Value.IsProjection}");
                }

                List<JmesPathValue> ourMatches = OurMatches(selected.Ours.Value);
                List<JToken> theirMatches = ReferenceEngine.Matches(selected.Theirs.Value);
                Assert.Equal(theirMatches.Count, ourMatches.Count);
                for (int i = 0; i < ourMatches.Count; i++)
                {
                    matchesCompared++;
                    JToken theirRoot = ReferenceEngine.WithMatchedToken(theirEnvelope, theirMatches[i]);
                    foreach (string selection in MedTechCorpus.Selections)
                    {
                        tally.Add(
                            check.CompareWithMatch(selection, envelope.RootElement, ourMatches[i], theirRoot),
                            $"{typeMatch} → match {i} → {selection}");
                    }
                }
            }
        }

        _output.WriteLine($"{check.Compared} expressions compared over {matchesCompared} matches; known differences: {tally.Summary()}");
        Assert.False(tally.HasUnexpected, tally.Report());

        // Enough of the corpus reached the value expressions for the agreement to mean something.
        Assert.True(matchesCompared >= 90, $"only {matchesCompared} matches compared");
        Assert.True(check.Compared >= 6_000, $"only {check.Compared} expressions compared");

        // The corpus reaches each of JmesPath.Net's departures that a MedTech message can hit.
        Assert.True(tally.Count(KnownDifferences.LegacyLiteralRefused) > 0, "no legacy literal reached");
        Assert.True(tally.Count(KnownDifferences.DocumentNullsKept) > 0, "no explicit null reached");
        Assert.True(tally.Count(KnownDifferences.NarrowIntegers) > 0, "no integer beyond Int32 reached");
    }

    [Fact]
    public void MedTech_functions_agree_with_JmesPath_Net_except_the_documented_differences()
    {
        const string EnvelopeJson = """
            {"Body": {"heartRate": 78, "systolic": 120, "diastolic": 80, "height": "70", "weight": 81.5, "steps": 0,
                      "deviceId": "dev", "tags": ["rest"], "ts": 1625677200, "tsMs": 1625677200123},
             "Properties": {"patient": "p-1"}}
            """;
        using JsonDocument envelope = JsonDocument.Parse(EnvelopeJson);
        JToken theirEnvelope = ReferenceEngine.ParseJson(EnvelopeJson);
        JmesPathValue ourMatch = JmesPathValue.FromJsonElement(envelope.RootElement.GetProperty("Body"));
        JToken theirRoot = ReferenceEngine.WithMatchedToken(theirEnvelope, theirEnvelope["Body"]!);

        var check = new CrossCheck(JmesPathFunctionSet.MedTech);
        var tally = new DifferenceTally();
        foreach (string expression in MedTechCorpus.FunctionCalls())
        {
            tally.Add(check.CompareWithMatch(expression, envelope.RootElement, ourMatch, theirRoot), expression);
        }

        _output.WriteLine($"{check.Compared} function calls compared; known differences: {tally.Summary()}");
        Assert.False(tally.HasUnexpected, tally.Report());
        Assert.True(check.Compared >= 2_500, $"only {check.Compared} expressions compared");

        // The sweep reaches both documented differences; if it stopped reaching them, the classifier would be untested.
        Assert.True(tally.Count(KnownDifferences.OverflowWraps) > 0, "no overflow case reached");
        Assert.True(tally.Count(KnownDifferences.PowThroughDoubles) > 0, "no pow precision case reached");
    }

    private static List<JmesPathValue> OurMatches(JmesPathValue result)
    {
        if (result.IsProjectionResult)
        {
            return [.. result.EnumerateArray()];
        }

        return result.IsNull ? [] : [result];
    }
}
