using System.Text.Json;

namespace MedTechEdge.JmesPath.Tests.Language;

/// <summary>The paths templates use most evaluate over the document without allocating.</summary>
public sealed class AllocationTests
{
    private static readonly JsonElement s_root = Eval.Document("""{"Body": {"heartRate": 78, "a": 2, "b": 3, "s": "x"}}""");

    [Theory]
    [InlineData("Body.heartRate")]
    [InlineData("add(Body.a, Body.b)")]
    [InlineData("Body.s == 'x' && Body.a > `1`")]
    [InlineData("not_null(Body.missing, Body.heartRate)")]
    public void Evaluating_field_paths_comparisons_and_function_calls_allocates_nothing(string text)
    {
        JmesPathExpression expression = JmesPathExpression.Parse(text, JmesPathFunctionSet.MedTech);
        expression.Evaluate(s_root);

        long before = GC.GetAllocatedBytesForCurrentThread();
        JmesPathValue result = expression.Evaluate(s_root);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(result.IsNull);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Evaluating_with_a_matched_token_allocates_only_the_small_overlay_object()
    {
        JmesPathExpression expression = JmesPathExpression.Parse("matchedToken.heartRate");
        JsonElement body = s_root.GetProperty("Body");
        expression.Evaluate(s_root, "matchedToken", body);

        long before = GC.GetAllocatedBytesForCurrentThread();
        JmesPathValue result = expression.Evaluate(s_root, "matchedToken", body);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("78", result.ToJsonString());
        Assert.InRange(allocated, 0, 128);
    }
}
