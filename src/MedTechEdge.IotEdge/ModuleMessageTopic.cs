namespace MedTechEdge.IotEdge;

/// <summary>
/// The topics edgeHub uses for a module's messages, and their property bags (the IoT Hub MQTT convention, as the
/// device SDKs and edgeHub write it): inputs arrive on <c>devices/{d}/modules/{m}/inputs/{input}/{bag}</c>, outputs
/// are sent on <c>devices/{d}/modules/{m}/messages/events/{bag}</c> with the output name as <c>$.on</c>. A bag is
/// <c>key=value&amp;key=value</c>, each part URL-encoded. The system properties have short wire names (<c>$.cdid</c>,
/// <c>$.ct</c>, …); everything else is an application property.
/// </summary>
public static class ModuleMessageTopic
{
    // Wire name → the name IoT Hub routing and MedTech templates use in SystemProperties (medtech-semantics §1).
    private static readonly Dictionary<string, string> s_systemNames = new(StringComparer.Ordinal)
    {
        ["$.cdid"] = "iothub-connection-device-id",
        ["$.cmid"] = "iothub-connection-module-id",
        ["$.ctime"] = "iothub-creation-time-utc",
        ["$.mid"] = "message-id",
        ["$.cid"] = "correlation-id",
        ["$.uid"] = "user-id",
        ["$.to"] = "to",
        ["$.exp"] = "absolute-expiry-time",
        ["$.ct"] = "content-type",
        ["$.ce"] = "content-encoding",
        ["$.schema"] = "dt-dataschema",
        ["$.sub"] = "dt-subject",
        ["$.ifid"] = "iothub-interface-id",
        ["$.on"] = "output-name",
    };

    /// <summary>The filter that receives every input of the module.</summary>
    public static string InputsFilter(string deviceId, string moduleId) => $"devices/{deviceId}/modules/{moduleId}/inputs/#";

    /// <summary>
    /// Reads an input topic: the input's name, and its property bag split into system properties (by their IoT Hub
    /// names) and application properties. False when the topic is not an input of this module.
    /// </summary>
    public static bool TryParseInput(string topic, string deviceId, string moduleId, out string input, out Dictionary<string, string> systemProperties, out Dictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(topic);
        input = string.Empty;
        systemProperties = new Dictionary<string, string>(StringComparer.Ordinal);
        properties = new Dictionary<string, string>(StringComparer.Ordinal);
        string prefix = $"devices/{deviceId}/modules/{moduleId}/inputs/";
        if (!topic.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        string rest = topic[prefix.Length..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        input = slash < 0 ? rest : rest[..slash];
        if (input.Length == 0)
        {
            return false;
        }

        string bag = slash < 0 ? string.Empty : rest[(slash + 1)..];
        foreach (string pair in bag.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            string value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (s_systemNames.TryGetValue(key, out string? name))
            {
                systemProperties[name] = value;
            }
            else if (!key.StartsWith("$.", StringComparison.Ordinal))
            {
                properties[key] = value;
            }
        }

        return true;
    }

    /// <summary>
    /// The topic to send on output <paramref name="output"/>, with <paramref name="properties"/> as application
    /// properties and the JSON content type and encoding that IoT Hub routing queries on the body need.
    /// </summary>
    public static string Output(string deviceId, string moduleId, string output, IReadOnlyDictionary<string, string>? properties = null)
    {
        var bag = new System.Text.StringBuilder();
        Append(bag, "$.on", output);
        Append(bag, "$.ct", "application/json");
        Append(bag, "$.ce", "utf-8");
        if (properties is not null)
        {
            foreach (KeyValuePair<string, string> property in properties)
            {
                Append(bag, property.Key, property.Value);
            }
        }

        // The device SDKs end the bag with a slash (protocols.md C.2); edgeHub accepts it with or without (C.3).
        return $"devices/{deviceId}/modules/{moduleId}/messages/events/{bag}/";
    }

    private static void Append(System.Text.StringBuilder bag, string key, string value)
    {
        if (bag.Length > 0)
        {
            bag.Append('&');
        }

        bag.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
    }
}
