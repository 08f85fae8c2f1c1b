using System.Text.Json;

namespace MedTechEdge.JmesPath.Tests;

/// <summary>Parse-and-evaluate shorthands for the tests. The parsed documents stay alive with the results.</summary>
internal static class Eval
{
    public static JmesPathValue MedTech(string expression, string json = "{}") =>
        JmesPathExpression.Parse(expression, JmesPathFunctionSet.MedTech).Evaluate(Document(json));

    public static JmesPathValue Standard(string expression, string json = "{}") =>
        JmesPathExpression.Parse(expression).Evaluate(Document(json));

    public static JmesPathException MedTechError(string expression, string json = "{}") =>
        Assert.Throws<JmesPathException>(() => MedTech(expression, json));

    public static JsonElement Document(string json) => JsonDocument.Parse(json).RootElement;
}
