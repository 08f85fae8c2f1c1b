using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MedTechEdge.Benchmarks.Reference;

/// <summary>
/// The envelope as the open-source connector builds it (medtech-semantics §1): the body decoded as UTF-8
/// and parsed with Json.NET defaults (ISO-looking strings become date tokens), the two property
/// dictionaries as objects whose strings stay strings.
/// </summary>
internal static class ReferenceEnvelope
{
    public static JObject Build(byte[] body, string propertiesJson, string systemPropertiesJson)
    {
        string text = Encoding.UTF8.GetString(body);
        JToken? parsedBody = string.IsNullOrWhiteSpace(text) ? null : JToken.Parse(text);
        return new JObject
        {
            ["Body"] = parsedBody ?? JValue.CreateNull(),
            ["Properties"] = ParseProperties(propertiesJson),
            ["SystemProperties"] = ParseProperties(systemPropertiesJson),
        };
    }

    // The connector serializes dictionaries of CLR values, so a time string there is not pre-parsed.
    private static JObject ParseProperties(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }
}
