namespace MedTechEdge.JsonPath;

/// <summary>The JSONPath dialect an expression is parsed and evaluated in.</summary>
public enum JsonPathDialect
{
    /// <summary>
    /// The dialect of Newtonsoft.Json 13.0.3 <c>JToken.SelectTokens</c>, which Azure MedTech device
    /// mappings were written for: <c>$..[?(@heartRate)]</c> also tests the start node, <c>@name</c>
    /// needs no dot, dot names may contain hyphens, filters are written <c>?( … )</c>.
    /// See docs/jsonpath.md for every rule and every deliberate difference.
    /// </summary>
    MedTech = 0,

    /// <summary>RFC 9535 JSONPath, with the function extensions length, count, match, search and value.</summary>
    Rfc9535 = 1,
}
