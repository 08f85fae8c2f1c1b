using System.Text;

namespace MedTechEdge.Fhir.Tests.Client;

/// <summary>Small R4 resources for tests, as UTF-8 JSON.</summary>
internal static class TestResources
{
    /// <summary>A system no other test uses, so tests sharing the peer never see each other's data.</summary>
    public static string UniqueSystem() => "urn:test:" + Guid.NewGuid().ToString("N");

    public static string UniqueId() => Guid.NewGuid().ToString("N");

    public static byte[] Observation(
        string system, string value, string? id = null, string status = "final", string? subject = null, string? device = null, bool withCode = true)
    {
        var json = new StringBuilder();
        json.Append("""{"resourceType":"Observation",""");
        if (id is not null)
        {
            json.Append($$"""
                "id":"{{id}}",
                """);
        }

        json.Append($$"""
            "identifier":[{"system":"{{system}}","value":"{{value}}"}],"status":"{{status}}"
            """);
        if (withCode)
        {
            json.Append(""","code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]}""");
        }

        if (subject is not null)
        {
            json.Append($$"""
                ,"subject":{"reference":"{{subject}}"}
                """);
        }

        if (device is not null)
        {
            json.Append($$"""
                ,"device":{"reference":"{{device}}"}
                """);
        }

        json.Append(""","effectiveDateTime":"2026-11-21T10:00:00Z","valueQuantity":{"value":72,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}""");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    public static byte[] Device(string system, string value, string? id = null)
    {
        string idPart = id is null ? "" : $$"""
            "id":"{{id}}",
            """;
        return Encoding.UTF8.GetBytes($$"""
            {"resourceType":"Device",{{idPart}}"identifier":[{"system":"{{system}}","value":"{{value}}"}]}
            """);
    }
}
