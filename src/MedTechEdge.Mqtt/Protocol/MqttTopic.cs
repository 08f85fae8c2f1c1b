namespace MedTechEdge.Mqtt.Protocol;

/// <summary>
/// Topic Name and Topic Filter rules (MQTT 5.0 §4.7). Names never hold wildcards; in filters '#' is last and alone in
/// its level, '+' is alone in its level. Filters starting with a wildcard do not match names starting with '$' (§4.7.2).
/// Worked examples: "a/+/c" matches "a/b/c" and "a//c"; "a/#" matches "a", "a/" and "a/b/c"; "#" does not match "$SYS/x".
/// </summary>
internal static class MqttTopic
{
    public const string SharedPrefix = "$share/";

    /// <summary>[MQTT-4.7.3-1] non-empty, [MQTT-3.3.2-2] no wildcard characters.</summary>
    public static bool IsValidTopicName(string topic) =>
        topic.Length > 0 && topic.AsSpan().IndexOfAny('+', '#') < 0;

    /// <summary>[MQTT-4.7.1-1], [MQTT-4.7.1-2], [MQTT-4.7.3-1].</summary>
    public static bool IsValidTopicFilter(ReadOnlySpan<char> filter)
    {
        if (filter.IsEmpty)
        {
            return false;
        }

        for (int i = 0; i < filter.Length; i++)
        {
            char c = filter[i];
            if (c == '#')
            {
                // '#' must be the last character and occupy a whole level.
                if (i != filter.Length - 1 || (i > 0 && filter[i - 1] != '/'))
                {
                    return false;
                }
            }
            else if (c == '+')
            {
                bool startsLevel = i == 0 || filter[i - 1] == '/';
                bool endsLevel = i == filter.Length - 1 || filter[i + 1] == '/';
                if (!startsLevel || !endsLevel)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Splits "$share/{ShareName}/{filter}" (MQTT 5.0 §4.8.2). Returns false when the filter is not shared;
    /// throws nothing: an invalid shared filter returns true with <paramref name="valid"/> false.
    /// </summary>
    public static bool TryParseShared(string filter, out string shareName, out string innerFilter, out bool valid)
    {
        shareName = string.Empty;
        innerFilter = filter;
        valid = true;
        if (!filter.StartsWith(SharedPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        int slash = filter.IndexOf('/', SharedPrefix.Length);
        if (slash <= SharedPrefix.Length || slash == filter.Length - 1)
        {
            valid = false;
            return true;
        }

        shareName = filter[SharedPrefix.Length..slash];
        innerFilter = filter[(slash + 1)..];
        // [MQTT-4.8.2-2] the ShareName must not contain '/', '+' or '#'.
        valid = shareName.AsSpan().IndexOfAny('+', '#') < 0 && IsValidTopicFilter(innerFilter);
        return true;
    }

    /// <summary>True when <paramref name="topic"/> (a valid name) matches <paramref name="filter"/> (a valid filter).</summary>
    public static bool Matches(ReadOnlySpan<char> topic, ReadOnlySpan<char> filter)
    {
        // [MQTT-4.7.2-1] a filter starting with a wildcard does not match a name starting with '$'.
        if (topic.Length > 0 && topic[0] == '$' && filter.Length > 0 && (filter[0] == '+' || filter[0] == '#'))
        {
            return false;
        }

        int t = 0;
        int f = 0;
        while (f < filter.Length)
        {
            char fc = filter[f];
            if (fc == '#')
            {
                // Multi-level wildcard: matches the parent level and everything below it.
                return true;
            }

            if (fc == '+')
            {
                // Consume one topic level, possibly empty.
                while (t < topic.Length && topic[t] != '/')
                {
                    t++;
                }

                f++;
            }
            else
            {
                if (t >= topic.Length || topic[t] != fc)
                {
                    // "a/#" matches "a": the topic ends where the filter has "/#" left.
                    return t == topic.Length && IsParentMatch(filter[f..]);
                }

                t++;
                f++;
            }
        }

        return t == topic.Length;
    }

    private static bool IsParentMatch(ReadOnlySpan<char> filterRest) => filterRest.SequenceEqual("/#");

    /// <summary>Returns the topic level at <paramref name="index"/> (0-based), or null when the topic has fewer levels.</summary>
    public static string? GetLevel(string topic, int index)
    {
        int start = 0;
        for (int level = 0; level < index; level++)
        {
            int slash = topic.IndexOf('/', start);
            if (slash < 0)
            {
                return null;
            }

            start = slash + 1;
        }

        int end = topic.IndexOf('/', start);
        string value = end < 0 ? topic[start..] : topic[start..end];
        return value.Length == 0 ? null : value;
    }
}
