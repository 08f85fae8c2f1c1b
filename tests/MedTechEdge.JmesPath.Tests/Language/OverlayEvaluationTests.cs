using System.Text.Json;

namespace MedTechEdge.JmesPath.Tests.Language;

/// <summary>Evaluate with an extra root member: MedTech's matchedToken without copying the envelope.</summary>
public sealed class OverlayEvaluationTests
{
    private static readonly JsonElement s_root = Eval.Document("""{"Body": {"hr": 70}, "Properties": {"p": "x"}}""");

    [Fact]
    public void The_extra_member_and_the_original_members_are_both_visible()
    {
        JmesPathExpression expression = JmesPathExpression.Parse("[matchedToken.hr, Body.hr, Properties.p]");

        JmesPathValue result = expression.Evaluate(s_root, "matchedToken", Eval.Document("""{"hr": 99}"""));

        JsonAssert.Equal("""[99, 70, "x"]""", result);
    }

    [Fact]
    public void The_extra_member_appears_in_keys_values_and_serialization()
    {
        JmesPathExpression expression = JmesPathExpression.Parse("keys(@)");

        JmesPathValue keys = expression.Evaluate(s_root, "matchedToken", Eval.Document("1"));
        JmesPathValue whole = JmesPathExpression.Parse("@").Evaluate(s_root, "matchedToken", Eval.Document("1"));

        JsonAssert.Equal("""["Body", "Properties", "matchedToken"]""", keys);
        JsonAssert.Equal("""{"Body": {"hr": 70}, "Properties": {"p": "x"}, "matchedToken": 1}""", whole);
        Assert.Equal("3", JmesPathExpression.Parse("length(@)").Evaluate(s_root, "matchedToken", Eval.Document("1")).ToJsonString());
    }

    [Fact]
    public void The_extra_member_replaces_a_member_of_the_same_name_in_place()
    {
        JmesPathValue result = JmesPathExpression.Parse("@").Evaluate(s_root, "Body", Eval.Document("\"new\""));

        Assert.Equal("""{"Body":"new","Properties":{"p":"x"}}""", result.ToJsonString());
    }

    [Fact]
    public void The_document_itself_is_not_changed()
    {
        JmesPathExpression.Parse("matchedToken").Evaluate(s_root, "matchedToken", Eval.Document("1"));

        Assert.False(s_root.TryGetProperty("matchedToken", out _));
    }

    [Fact]
    public void An_overlaid_object_equals_a_document_with_the_same_members()
    {
        JmesPathValue result = JmesPathExpression.Parse("@ == `{\"Body\": {\"hr\": 70}, \"Properties\": {\"p\": \"x\"}, \"m\": 1}`")
            .Evaluate(s_root, "m", Eval.Document("1"));

        Assert.True(result.GetBoolean());
    }

    [Fact]
    public void A_root_that_is_not_an_object_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => JmesPathExpression.Parse("@").Evaluate(Eval.Document("[1]"), "m", Eval.Document("1")));
    }
}
