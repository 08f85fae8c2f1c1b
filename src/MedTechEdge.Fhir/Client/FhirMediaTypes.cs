using System.Net.Http.Headers;

namespace MedTechEdge.Fhir.Client;

/// <summary>FHIR R4 http.html#mime-type: the JSON format's MIME type.</summary>
internal static class FhirMediaTypes
{
    public const string Json = "application/fhir+json";

    public static MediaTypeHeaderValue JsonContentType() => new(Json) { CharSet = "utf-8" };
}
