using Newtonsoft.Json.Linq;

namespace MedTechEdge.JsonPath.Tests.MedTech;

internal static class NewtonsoftOracleAssert
{
    /// <summary>Newtonsoft's result contains exactly <paramref name="count"/> <c>JProperty</c> wrappers.</summary>
    public static void NewtonsoftReturnsPropertyWrappers(string document, string path, int count)
    {
        JToken root = Differential.NewtonsoftOracle.ParseDocument(document);
        int wrappers = 0;
        foreach (JToken token in root.SelectTokens(path))
        {
            wrappers += token is JProperty ? 1 : 0;
        }

        Assert.Equal(count, wrappers);
    }
}
