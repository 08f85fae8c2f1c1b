using System.Text.Json;

namespace MedTechEdge.JmesPath.Tests.MedTech;

/// <summary>The JMESPath idioms that MedTech CalculatedContent templates use (medtech-semantics §2.3, §4).</summary>
public sealed class TemplateIdiomTests
{
    private const string Envelope = """
        {
          "Body": { "heartRate": 78, "height": "70", "deviceId": "dev-1", "endDate": "2021-07-07T17:00:00Z" },
          "Properties": { "patient": "p-1" },
          "SystemProperties": { "iothub-connection-device-id": "dev-1" }
        }
        """;

    [Fact]
    public void To_array_then_filter_matches_an_object_that_has_the_field()
    {
        JmesPathExpression expression = JmesPathExpression.Parse("to_array(@)[?heartrate]", JmesPathFunctionSet.MedTech);
        JmesPathValue result = expression.Evaluate(Eval.Document("""{"heartrate": 78}"""));

        Assert.True(expression.IsProjection);
        Assert.True(result.IsProjectionResult);
        JsonAssert.Equal("""[{"heartrate": 78}]""", result);
    }

    [Fact]
    public void To_array_then_filter_gives_an_empty_projection_when_the_field_is_missing()
    {
        JmesPathValue result = Eval.MedTech("to_array(@)[?heartrate]", """{"steps": 3}""");

        Assert.True(result.IsProjectionResult);
        Assert.Equal(0, result.GetArrayLength());
    }

    [Fact]
    public void Wrapping_body_and_piping_to_the_first_match_gives_one_non_projected_token()
    {
        JmesPathExpression expression = JmesPathExpression.Parse("[Body][?contains(keys(@), `heartRate`)] | @[0]", JmesPathFunctionSet.MedTech);
        JmesPathValue result = expression.Evaluate(Eval.Document(Envelope));

        Assert.False(expression.IsProjection);
        Assert.False(result.IsProjectionResult);
        Assert.True(result.TryGetProperty("heartRate", out JmesPathValue heartRate));
        Assert.Equal("78", heartRate.ToJsonString());
    }

    [Fact]
    public void Multiply_reads_the_matched_token_through_the_overlay()
    {
        JsonElement root = Eval.Document(Envelope);
        JmesPathExpression expression = JmesPathExpression.Parse("multiply(to_number(matchedToken.height), `0.0254`)", JmesPathFunctionSet.MedTech);

        JmesPathValue result = expression.Evaluate(root, "matchedToken", root.GetProperty("Body"));

        Assert.False(result.IsInteger);
        Assert.True(result.TryGetDouble(out double meters));
        Assert.Equal(1.778, meters, 10);
    }

    [Fact]
    public void Insert_string_builds_a_patient_id_from_literals()
    {
        Assert.True(Eval.MedTech("insertString('123','patient',`0`)", Envelope).TryGetString(out string? patientId));
        Assert.Equal("patient123", patientId);
    }

    [Fact]
    public void A_body_array_filtered_on_a_field_projects_each_qualifying_item()
    {
        JmesPathExpression expression = JmesPathExpression.Parse("Body[?systolic]", JmesPathFunctionSet.MedTech);
        JmesPathValue result = expression.Evaluate(Eval.Document("""{"Body": [{"systolic": 120}, {"pulse": 60}, {"systolic": 0}]}"""));

        Assert.True(expression.IsProjection);

        // JMESPath truthiness: 0 is true, so the third item qualifies (medtech-semantics §2.3).
        JsonAssert.Equal("""[{"systolic": 120}, {"systolic": 0}]""", result);
    }

    [Fact]
    public void Filters_treat_empty_strings_and_false_as_not_matching()
    {
        JmesPathValue result = Eval.MedTech("Body[?v]", """{"Body": [{"v": ""}, {"v": false}, {"v": null}, {"v": []}, {"v": {}}, {"v": "x"}]}""");

        JsonAssert.Equal("""[{"v": "x"}]""", result);
    }

    [Fact]
    public void A_plain_array_result_is_one_token_not_a_projection()
    {
        JmesPathExpression expression = JmesPathExpression.Parse("Body", JmesPathFunctionSet.MedTech);
        JmesPathValue result = expression.Evaluate(Eval.Document("""{"Body": [1, 2]}"""));

        Assert.False(expression.IsProjection);
        Assert.False(result.IsProjectionResult);
    }

    [Fact]
    public void A_bare_word_in_backticks_is_a_legacy_string_literal()
    {
        // `heartRate` is not JSON; MedTech templates use it, and JMESPath's legacy rule reads it as "heartRate".
        Assert.Equal("\"heartRate\"", Eval.MedTech("`heartRate`").ToJsonString());
        Assert.Equal("\"{bad\"", Eval.MedTech("`{bad`").ToJsonString());
    }
}
