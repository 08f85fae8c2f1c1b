using System.Text.Json;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>Reads a FHIR searchset to its end, for tests that check what reached a FHIR server.</summary>
internal static class FhirSearch
{
    /// <summary>
    /// Every resource of the searchset at <paramref name="search"/>, following its <c>next</c> links (the FHIR peer
    /// returns at most 1000 entries a page).
    /// </summary>
    public static async Task<List<JsonElement>> ResourcesAsync(HttpClient http, Uri search)
    {
        var resources = new List<JsonElement>();
        for (Uri? page = search; page is not null;)
        {
            using JsonDocument bundle = JsonDocument.Parse(await http.GetStringAsync(page));
            if (bundle.RootElement.TryGetProperty("entry", out JsonElement entries))
            {
                foreach (JsonElement entry in entries.EnumerateArray())
                {
                    resources.Add(entry.GetProperty("resource").Clone());
                }
            }

            page = null;
            if (bundle.RootElement.TryGetProperty("link", out JsonElement links))
            {
                foreach (JsonElement link in links.EnumerateArray())
                {
                    if (link.GetProperty("relation").GetString() == "next")
                    {
                        page = new Uri(link.GetProperty("url").GetString()!);
                    }
                }
            }
        }

        return resources;
    }

    /// <summary>The value of a resource's first identifier (an Observation's is MedTech's deterministic one).</summary>
    public static string Identifier(JsonElement resource) => resource.GetProperty("identifier")[0].GetProperty("value").GetString()!;
}
