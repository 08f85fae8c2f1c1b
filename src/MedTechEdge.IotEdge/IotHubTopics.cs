using System.Globalization;

namespace MedTechEdge.IotEdge;

/// <summary>
/// The twin and direct-method topics of the IoT Hub MQTT convention, which edgeHub serves to modules
/// (shared/research/protocols.md C.3): requests carry a request id <c>$rid</c> that the answer echoes verbatim.
/// </summary>
public static class IotHubTopics
{
    /// <summary>Twin answers: <c>$iothub/twin/res/{status}/?$rid={rid}[&amp;$version={v}]</c>.</summary>
    public const string TwinResponseFilter = "$iothub/twin/res/#";

    /// <summary>Desired-property updates: <c>$iothub/twin/PATCH/properties/desired/?$version={v}</c>.</summary>
    public const string DesiredPatchFilter = "$iothub/twin/PATCH/properties/desired/#";

    /// <summary>Direct-method calls: <c>$iothub/methods/POST/{method}/?$rid={rid}</c>.</summary>
    public const string MethodRequestFilter = "$iothub/methods/POST/#";

    private const string TwinResponsePrefix = "$iothub/twin/res/";
    private const string DesiredPatchPrefix = "$iothub/twin/PATCH/properties/desired/";
    private const string MethodRequestPrefix = "$iothub/methods/POST/";

    /// <summary>The full twin: answered 200 with <c>{"desired":{…},"reported":{…}}</c>.</summary>
    public static string TwinGet(string requestId) => "$iothub/twin/GET/?$rid=" + requestId;

    /// <summary>A reported-properties patch: answered 204 with the new reported <c>$version</c>.</summary>
    public static string ReportedPatch(string requestId) => "$iothub/twin/PATCH/properties/reported/?$rid=" + requestId;

    /// <summary>The answer to a direct-method call.</summary>
    public static string MethodResponse(int status, string requestId) =>
        "$iothub/methods/res/" + status.ToString(CultureInfo.InvariantCulture) + "/?$rid=" + requestId;

    /// <summary>Reads a twin answer's status, request id and (for reported patches) version.</summary>
    public static bool TryParseTwinResponse(string topic, out int status, out string requestId, out long? version)
    {
        ArgumentNullException.ThrowIfNull(topic);
        status = 0;
        requestId = string.Empty;
        version = null;
        if (!topic.StartsWith(TwinResponsePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        string rest = topic[TwinResponsePrefix.Length..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !int.TryParse(rest.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out status))
        {
            return false;
        }

        string? rid = null;
        string? versionText = null;
        ReadQuery(rest[(slash + 1)..], ref rid, ref versionText);
        if (rid is null)
        {
            return false;
        }

        requestId = rid;
        if (versionText is not null && long.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out long v))
        {
            version = v;
        }

        return true;
    }

    /// <summary>True for a desired-properties notification.</summary>
    public static bool IsDesiredPatch(string topic) => topic.StartsWith(DesiredPatchPrefix, StringComparison.Ordinal);

    /// <summary>Reads a direct-method call's method name and request id.</summary>
    public static bool TryParseMethodRequest(string topic, out string method, out string requestId)
    {
        ArgumentNullException.ThrowIfNull(topic);
        method = string.Empty;
        requestId = string.Empty;
        if (!topic.StartsWith(MethodRequestPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        string rest = topic[MethodRequestPrefix.Length..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        string? rid = null;
        string? ignored = null;
        ReadQuery(rest[(slash + 1)..], ref rid, ref ignored);
        if (rid is null)
        {
            return false;
        }

        method = rest[..slash];
        requestId = rid;
        return true;
    }

    // "?$rid=42&$version=7": values are echoed as they are, never unescaped (C.3: "the $rid must be echoed verbatim").
    private static void ReadQuery(string query, ref string? requestId, ref string? version)
    {
        if (query.StartsWith('?'))
        {
            query = query[1..];
        }

        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("$rid=", StringComparison.Ordinal))
            {
                requestId = pair[5..];
            }
            else if (pair.StartsWith("$version=", StringComparison.Ordinal))
            {
                version = pair[9..];
            }
        }
    }
}
