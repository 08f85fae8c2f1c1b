using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>Reads a device's Observations from the FHIR server, every page, as identifier values.</summary>
internal static class FhirObservations
{
    /// <summary>The Device id Create mode gives a device id (SHA-256 of <c>_</c> and the id, as MedTech derives it).</summary>
    public static string DeviceResourceId(string deviceId) => Sha256("_" + deviceId);

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static Task<List<JsonElement>> OfDeviceAsync(HttpClient http, Uri fhirBase, string deviceId) =>
        SearchAsync(http, new Uri(fhirBase, $"Observation?device=Device/{DeviceResourceId(deviceId)}&_count=1000"));

    /// <summary>Every resource a search finds, following the searchset's <c>next</c> links (the peer returns at most 1000 a page).</summary>
    public static async Task<List<JsonElement>> SearchAsync(HttpClient http, Uri search)
    {
        var found = new List<JsonElement>();
        for (Uri? page = search; page is not null;)
        {
            using JsonDocument bundle = JsonDocument.Parse(await http.GetStringAsync(page));
            if (bundle.RootElement.TryGetProperty("entry", out JsonElement entries))
            {
                foreach (JsonElement entry in entries.EnumerateArray())
                {
                    found.Add(entry.GetProperty("resource").Clone());
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

        return found;
    }

    public static string Identifier(JsonElement observation) => observation.GetProperty("identifier")[0].GetProperty("value").GetString()!;
}
