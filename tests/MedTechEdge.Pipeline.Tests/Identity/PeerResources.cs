using System.Text;
using MedTechEdge.Mapping;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Pipeline.Tests.Identity;

/// <summary>Puts the Patients, Devices and Encounters an identity test starts from on the FHIR peer.</summary>
internal static class PeerResources
{
    /// <summary>A heart-rate device mapping that extracts device, time, and (when present) patient and encounter ids.</summary>
    public static DeviceMapping HeartRate { get; } = DeviceMapping.Load("""
        {"templateType":"CollectionContent","template":[{"templateType":"CalculatedContent","template":{
          "typeName":"heartrate","typeMatchExpression":"$..[?(@heartRate)]",
          "deviceIdExpression":"$.matchedToken.deviceId","timestampExpression":"$.matchedToken.time",
          "patientIdExpression":"$.matchedToken.patientId","encounterIdExpression":"$.matchedToken.encounterId",
          "values":[{"valueName":"hr","valueExpression":"$.matchedToken.heartRate","required":true}]}}]}
        """);

    /// <summary><c>PUT {type}/{id}</c> of <paramref name="json"/>, with the id added after its resourceType.</summary>
    public static async Task PutAsync(FhirPeerFixture peer, HttpClient http, string type, string id, string json)
    {
        using var content = new StringContent(json.Replace("\"resourceType\":\"" + type + "\"", $"\"resourceType\":\"{type}\",\"id\":\"{id}\"", StringComparison.Ordinal), Encoding.UTF8, "application/fhir+json");
        using HttpResponseMessage response = await http.PutAsync(new Uri(peer.BaseUrl, $"{type}/{id}"), content);
        Assert.True(response.IsSuccessStatusCode, $"PUT {type}/{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
