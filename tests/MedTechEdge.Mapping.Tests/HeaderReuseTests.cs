using MedTechEdge.Mapping.Normalization;

namespace MedTechEdge.Mapping.Tests;

/// <summary>
/// Templates that share header expressions reuse one extraction per matched node; templates that do not must
/// never see another template's header.
/// </summary>
public sealed class HeaderReuseTests
{
    private static string Calculated(string type, string deviceId, string time) => $$$"""
        {"templateType":"CalculatedContent","template":{"typeName":"{{{type}}}","typeMatchExpression":"$..[?(@v)]",
          "deviceIdExpression":"{{{deviceId}}}","timestampExpression":"{{{time}}}","values":[{"valueName":"v","valueExpression":"$.matchedToken.v","required":true}]}}
        """;

    [Fact]
    public void Templates_With_Different_Header_Expressions_Keep_Their_Own_Headers()
    {
        DeviceMapping mapping = DeviceMapping.Load($$"""
            {"templateType":"CollectionContent","template":[
              {{Calculated("a", "$.matchedToken.a", "$.matchedToken.t1")}},
              {{Calculated("b", "$.matchedToken.b", "$.matchedToken.t2")}},
              {{Calculated("c", "$.matchedToken.a", "$.matchedToken.t1")}}]}
            """);

        List<Measurement> ms = MappingFixtures.Normalize(mapping, """
            [{"a":"dev-a","b":"dev-b","t1":"2026-01-01T00:00:00Z","t2":"2026-02-02T00:00:00Z","v":1},
             {"a":"dev-a2","b":"dev-b2","t1":"2026-03-03T00:00:00Z","t2":"2026-04-04T00:00:00Z","v":2}]
            """);

        Assert.Equal(
            ["a dev-a 1", "a dev-a2 3", "b dev-b 2", "b dev-b2 4", "c dev-a 1", "c dev-a2 3"],
            ms.Select(m => $"{m.Type} {m.DeviceId} {m.OccurrenceTimeUtc.Month}"));
    }

    [Fact]
    public void Equal_Expressions_Written_In_Different_Templates_Share_A_Header_Per_Node()
    {
        DeviceMapping mapping = DeviceMapping.Load($$"""
            {"templateType":"CollectionContent","template":[
              {{Calculated("a", "$.matchedToken.a", "$.matchedToken.t1")}},
              {{Calculated("c", "$.matchedToken.a", "$.matchedToken.t1")}}]}
            """);

        DeviceTemplateView[] templates = DeviceTemplateView.Of(mapping);

        Assert.Same(templates[0].HeaderKey, templates[1].HeaderKey);
        Assert.Same(templates[0].DeviceId, templates[1].DeviceId);
    }

    private sealed record DeviceTemplateView(object HeaderKey, object DeviceId)
    {
        public static DeviceTemplateView[] Of(DeviceMapping mapping)
            => [.. mapping.Templates.Select(t => new DeviceTemplateView(t.HeaderKey, t.DeviceId))];
    }
}
