using System.Text;

namespace MedTechEdge.Mapping.Tests;

/// <summary>
/// Device messages for the streaming plan's differential test: the benchmark's and the bundled mapping's messages,
/// then random ones built from their members with values of every JSON form, escaped names and values, duplicate
/// names, nesting, arrays, property objects that hold a filter name, and malformed text. Seeded: the same corpus on
/// every run.
/// </summary>
internal static class StreamingCorpus
{
    private const string MqttSystemProperties = """
        {"iothub-connection-device-id":"d1","iothub-enqueuedtime":"2026-11-21T17:00:00.2000000Z","mqtt-topic":"devices/d1/messages/events","mqtt-client-id":"d1","mqtt-qos":1}
        """;

    // Every member any of StreamingMappings reads or filters on, plus some nobody reads.
    private static readonly string[] s_names =
    [
        "deviceId", "patientId", "encounterId", "measurementTime", "endTime", "session", "note", "flag",
        "heartRate", "spo2", "respiratoryRate", "temperature", "systolic", "diastolic", "pulseRate", "glucose", "steps",
        "other", "Body", "matchedToken", "ecg", "stripId", "startTimeMs",
    ];

    private static readonly string[] s_scalars =
    [
        "72", "0", "-0", "98.6", "72.0", "1e2", "1E-2", "-1.5e+3", "0.1", "12345678901234567890", "-9223372036854775808",
        "9223372036854775808", "1e400", "-1e400", "1.7976931348623157e308", "5e-324", "123.456e-7",
        "\"d1\"", "\"\"", "\"  \"", "\"\\u0064\\u0031\"", "\"caf\u00e9\"", "\"\\ud83d\\ude00\"", "\"tab\\there\"", "\"p\\\"1\\\\\"",
        "\"72\"", "\" 72 \"", "true", "false", "null",
        "\"2026-11-21T17:00:00.123Z\"", "\"2026-11-21T17:00:00+02:00\"", "\"2026-11-21T17:00:00\"", "\"2026-11-21\"",
        "\"2026-11-21 17:00:00\"", "\"11/21/2026 17:00:00\"", "\"yesterday\"", "\"\\u0032026-11-21T17:00:00Z\"",
        "\"2026-11-21T17:00:00.1234567890Z\"", "1700000000", "\"9999-12-31T23:59:59.9999999Z\"",
    ];

    private static readonly string[] s_containers =
    [
        "{}", "[]", "[1,2]", "{\"a\":1}", "{\"heartRate\":80,\"deviceId\":\"nested\",\"measurementTime\":\"2026-11-21T18:00:00Z\"}",
        "[{\"spo2\":97}]", "{\"x\":{\"systolic\":1,\"diastolic\":2}}", "[[{\"glucose\":5}]]", "{\"he\\u0061rtRate\":3}",
    ];

    private static readonly string[] s_malformed =
    [
        "{", "}", "{\"heartRate\":72,}", "{\"heartRate\":72", "{heartRate:72}", "{'heartRate':72}", "{\"heartRate\":072}",
        "{\"heartRate\":72} x", "{\"heartRate\":72}{}", "[1,]", "/* c */{\"heartRate\":72}", "{\"heartRate\":NaN}",
        "{\"heartRate\":\"\\x\"}", "{\"heartRate\":-}", "{\"heartRate\":1.}", "{\"a\":\"\u0001\"}", "nul", "\"open",
        "\uFEFF{\"deviceId\":\"d1\",\"measurementTime\":\"2026-11-21T17:00:00Z\",\"heartRate\":72}",
        "{\"deviceId\":\"d1\",\"measurementTime\":\"2026-11-21T17:00:00Z\",\"heartRate\":72,\"deep\":" + new string('[', 70) + new string(']', 70) + "}",
        "{\"deviceId\":\"d1\",\"measurementTime\":\"2026-11-21T17:00:00Z\",\"heartRate\":72,\"deep\":" + new string('[', 62) + new string(']', 62) + "}",
    ];

    /// <summary>The messages: (body, properties, system properties).</summary>
    public static IEnumerable<(byte[] Body, string Properties, string SystemProperties)> Messages(int randomCount, int seed)
    {
        foreach (string body in Seeds())
        {
            yield return (Encoding.UTF8.GetBytes(body), "{}", MqttSystemProperties);
        }

        foreach (string bad in s_malformed)
        {
            yield return (Encoding.UTF8.GetBytes(bad), "{}", MqttSystemProperties);
        }

        var random = new Random(seed);
        for (int i = 0; i < randomCount; i++)
        {
            string body = random.Next(20) switch
            {
                0 => "[" + RandomObject(random, 0) + "," + RandomObject(random, 0) + "]",
                1 => Pick(random, s_scalars),
                2 => Mutate(random, RandomObject(random, 0)),
                3 => "  \r\n" + RandomObject(random, 0) + "\t ",
                4 => Mutate(random, FromSeed(random)),
                < 8 => RandomObject(random, 0),
                _ => FromSeed(random),
            };
            (string properties, string systemProperties) = random.Next(10) switch
            {
                0 => ("""{"heartRate":"from-properties"}""", MqttSystemProperties),
                1 => ("{}", """{"iothub-connection-device-id":"d1","x":"\u0041"}"""),
                2 => ("""{"spo2x":1}""", "{}"),
                _ => ("{}", MqttSystemProperties),
            };
            yield return (Encoding.UTF8.GetBytes(body), properties, systemProperties);
        }
    }

    private static IEnumerable<string> Seeds()
    {
        yield return """{"deviceId":"d1","patientId":"p1","measurementTime":"2026-11-21T17:00:00.123Z","heartRate":72}""";
        yield return """{"deviceId":"d1","patientId":"p1","measurementTime":"2026-11-21T17:00:00.123Z","heartRate":72,"spo2":98,"respiratoryRate":16,"temperature":37.2,"systolic":120,"diastolic":80}""";
        yield return """{"deviceId":"g1","patientId":"p1","encounterId":"e1","session":"s1","measurementTime":"2026-11-21T17:00:00Z","glucose":5.4,"note":"fasting","flag":true,"steps":1200,"endTime":"2026-11-21T18:00:00Z"}""";
        yield return """{"deviceId":"d1","measurementTime":"2026-11-21T17:00:00Z","pulseRate":70,"heartRate":71}""";
        yield return """{"deviceId":"sim-05","patientId":"p5","startTimeMs":1795453200000,"samplingRate":250,"stripId":"sim-05-202611211700","ecg":[{"offsetMs":0,"mv":0.051},{"offsetMs":4,"mv":0.062}]}""";
        yield return """{"deviceId":"sim-05","ecg":[],"heartRate":60,"measurementTime":"2026-11-21T17:00:00Z"}""";
        yield return "";
        yield return "   ";
        yield return "null";
        yield return "[]";
        yield return "{}";
    }

    // A complete message (every member some mapping needs, well-formed values) changed in zero to three places: a
    // value replaced by one of any form, a member dropped, repeated, renamed with an escape, or nested, the order
    // shuffled. Most of these still match, so the plan's measurements and its errors are both well covered.
    private static string FromSeed(Random random)
    {
        var members = new List<(string Name, string Value)>
        {
            ("deviceId", "\"d1\""), ("patientId", "\"p1\""), ("encounterId", "\"e1\""), ("session", "\"s1\""),
            ("measurementTime", "\"2026-11-21T17:00:00.123Z\""), ("endTime", "\"2026-11-21T18:00:00Z\""),
            ("heartRate", "72"), ("spo2", "98"), ("respiratoryRate", "16"), ("temperature", "37.2"), ("systolic", "120"),
            ("diastolic", "80"), ("pulseRate", "70"), ("glucose", "5.4"), ("steps", "1200"), ("note", "\"fasting\""),
            ("flag", "true"),
        };
        if (random.Next(10) == 0)
        {
            members.Add(("stripId", "\"strip-1\""));
            members.Add(("startTimeMs", "1795453200000"));
            members.Add(("ecg", random.Next(2) == 0 ? "[]" : "[{\"offsetMs\":0,\"mv\":0.051},{\"offsetMs\":4,\"mv\":0.062}]"));
        }

        for (int i = members.Count - 1; i >= 0; i--)
        {
            if (random.Next(4) == 0)
            {
                members.RemoveAt(i);
            }
        }

        int changes = random.Next(4);
        for (int c = 0; c < changes && members.Count > 0; c++)
        {
            int at = random.Next(members.Count);
            (string name, string value) = members[at];
            switch (random.Next(7))
            {
                case 0:
                case 1:
                    members[at] = (name, random.Next(5) == 0 ? Pick(random, s_containers) : Pick(random, s_scalars));
                    break;
                case 2:
                    members.RemoveAt(at);
                    break;
                case 3:
                    members.Insert(random.Next(members.Count + 1), (name, Pick(random, s_scalars)));
                    break;
                case 4:
                    members[at] = (EscapeFirstLetter(name), value);
                    break;
                case 5:
                    members.Insert(random.Next(members.Count + 1), ("inner", RandomObject(random, 1)));
                    break;
                default:
                    members.RemoveAt(at);
                    members.Insert(random.Next(members.Count + 1), (name, value));
                    break;
            }
        }

        var text = new StringBuilder("{");
        for (int i = 0; i < members.Count; i++)
        {
            text.Append(i > 0 ? "," : string.Empty).Append('"').Append(members[i].Name).Append("\":").Append(members[i].Value);
        }

        return text.Append('}').ToString();
    }

    private static string RandomObject(Random random, int depth)
    {
        var text = new StringBuilder("{");
        int members = random.Next(0, 12);
        for (int m = 0; m < members; m++)
        {
            if (m > 0)
            {
                text.Append(random.Next(8) == 0 ? " , " : ",");
            }

            string name = Pick(random, s_names);
            text.Append('"').Append(random.Next(12) == 0 ? EscapeFirstLetter(name) : name).Append("\":");
            int kind = random.Next(14);
            text.Append(kind switch
            {
                0 when depth < 2 => RandomObject(random, depth + 1),
                1 => Pick(random, s_containers),
                2 when depth < 2 => "[" + RandomObject(random, depth + 1) + "]",
                _ => Pick(random, s_scalars),
            });
        }

        return text.Append('}').ToString();
    }

    // "heartRate" -> "\u0068eartRate": the same name, spelled with an escape.
    private static string EscapeFirstLetter(string name) => "\\u" + ((int)name[0]).ToString("x4") + name[1..];

    private static string Mutate(Random random, string text)
    {
        if (text.Length < 2)
        {
            return text;
        }

        int at = random.Next(text.Length);
        return random.Next(4) switch
        {
            0 => text[..at],
            1 => text.Remove(at, 1),
            2 => text.Insert(at, Pick(random, [",", "\"", "}", "]", "{", ":", " ", "\\"])),
            _ => text + Pick(random, ["x", "}", ",", "{}"]),
        };
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
