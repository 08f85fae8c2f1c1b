namespace MedTechEdge.JmesPath.Tests.Reference;

/// <summary>
/// Generated MedTech-style inputs for the referee: IoT Hub envelopes, CalculatedContent type matches, and value
/// expressions as templates write them (medtech-semantics §2.3). Everything is built from fixed lists, so a
/// failure names an expression that can be rerun by hand.
/// </summary>
internal static class MedTechCorpus
{
    /// <summary>Envelopes as the IoT Hub normalization sees them: Body, Properties and SystemProperties.</summary>
    public static readonly string[] Envelopes =
    [
        // One reading per message, the common shape.
        """
        {"Body": {"heartRate": 78, "systolic": 120, "diastolic": 80, "height": "70", "weight": 81.5, "steps": 0,
                  "deviceId": "dev-1", "patientId": "p-1", "endDate": "2021-07-07T17:00:00Z", "ts": 1625677200,
                  "tsMs": 1625677200123, "tags": ["rest", "seated"], "battery": {"level": 0.42, "charging": false}},
         "Properties": {"patient": "p-1", "iothub-creation-time-utc": "2021-07-07T17:00:00.000Z"},
         "SystemProperties": {"iothub-connection-device-id": "dev-1", "iothub-enqueuedtime": "2021-07-07T17:00:01.5Z"}}
        """,
        // A batch of typed readings in an array.
        """
        {"Body": [{"type": "hr", "value": 70, "time": 1625677200, "unit": "bpm"},
                  {"type": "bp", "systolic": 121, "diastolic": 79, "time": 1625677260},
                  {"type": "hr", "value": 72.5, "time": 1625677320, "unit": "bpm"},
                  {"type": "spo2", "value": "97", "time": 1625677380},
                  {"type": "hr", "value": null, "time": -1}],
         "Properties": {"patient": "p-2"},
         "SystemProperties": {"iothub-connection-device-id": "dev-2"}}
        """,
        // Nested data with a device block, IoT Central style.
        """
        {"Body": {"device": {"id": "dev-3", "model": "W-1"},
                  "data": [{"name": "steps", "value": 1200, "endMs": 1625677200000},
                           {"name": "hr", "value": 64, "endMs": 1625677201000},
                           {"name": "temp", "value": 36.6, "endMs": 1625677202000}]},
         "Properties": {},
         "SystemProperties": {"iothub-connection-device-id": "dev-3"}}
        """,
        // Edge values: empty strings, zero, booleans, unicode, the Int64 limits.
        """
        {"Body": [{"type": "hr", "value": 0, "time": 0, "note": ""},
                  {"type": "hr", "value": -5, "time": 253402300799, "note": "Ünïcødé ✓"},
                  {"type": "big", "value": 9223372036854775807, "time": 1},
                  {"type": "small", "value": -9223372036854775808, "time": 2},
                  {"type": "flag", "value": true, "time": 3}],
         "Properties": {"patient": ""},
         "SystemProperties": {}}
        """,
    ];

    /// <summary>CalculatedContent typeMatchExpression values in JMESPath (the JSONPath ones are not this engine's).</summary>
    public static readonly string[] TypeMatches =
    [
        "Body",
        "[Body]",
        "Body[*]",
        "Body[]",
        "Body[?type=='hr']",
        "Body[?type=='bp']",
        "Body[?type=='hr' && value > `70`]",
        "Body[?type=='hr' || type=='spo2']",
        "Body[?!(type=='hr')]",
        "Body[?value]",
        "Body[?value != null]",
        "Body[?starts_with(type, 'h')]",
        "Body[:2]",
        "Body[::-1]",
        "Body | [?type=='hr']",
        "Body.data[?name=='hr']",
        "Body.data[?value > `100`]",
        "to_array(Body)[?heartRate]",
        "[Body][?contains(keys(@), `\"heartRate\"`)] | @[0]",
        "[Body][?heartRate != null]",
        "Body[?time >= `1625677260`]",
    ];

    /// <summary>Value expressions over the envelope plus matchedToken: field reads, multiselects, pipes, functions.</summary>
    public static readonly string[] Selections =
    [
        "matchedToken",
        "matchedToken.value",
        "matchedToken.heartRate",
        "matchedToken.systolic",
        "matchedToken.time",
        "matchedToken.type",
        "matchedToken.missing",
        "matchedToken.battery.level",
        "matchedToken.tags[0]",
        "matchedToken.tags[-1]",
        "matchedToken.value || `0`",
        "matchedToken.value && matchedToken.type",
        "{sys: matchedToken.systolic, dia: matchedToken.diastolic}",
        "[matchedToken.systolic, matchedToken.diastolic]",
        "[matchedToken.value, Properties.patient][?@]",
        "Properties.patient",
        "Properties.\"iothub-creation-time-utc\"",
        "SystemProperties.\"iothub-connection-device-id\"",
        "Body.deviceId || SystemProperties.\"iothub-connection-device-id\"",
        "Body.device.id",
        "Body[?type=='hr'].value",
        "Body[?type=='hr'].value | [0]",
        "Body[*].time | max(@)",
        "Body.data[*].value | sum(@)",
        "length(Body[?type=='hr'])",
        "max_by(Body, &time).type",
        "min_by(Body.data, &value).name",
        "sort_by(Body, &time)[-1].time",
        "sort(keys(matchedToken))",
        "join('-', [matchedToken.type || 'none', Properties.patient || 'nobody'])",
        "to_string(matchedToken.value)",
        "to_number(matchedToken.height)",
        "to_number(matchedToken.value)",
        "type(matchedToken.value)",
        "length(matchedToken)",
        "contains(keys(matchedToken), `\"value\"`)",
        // The legacy form MedTech templates write; JmesPath.Net 1.1.0 refuses it (KnownDifferences.LegacyLiteralRefused).
        "contains(keys(matchedToken), `value`)",
        "not_null(matchedToken.heartRate, matchedToken.value, `-1`)",
        "abs(matchedToken.value)",
        "floor(matchedToken.weight)",
        "ceil(matchedToken.value)",
        "avg(Body.data[*].value)",
        "merge(matchedToken, {source: 'edge'})",
        "values(matchedToken.battery)",
        "reverse(matchedToken.tags)",
        "ends_with(matchedToken.unit, 'm')",
        "starts_with(SystemProperties.\"iothub-connection-device-id\", 'dev')",
        "map(&type, Body[?time > `0`])",
        "matchedToken.endDate",
        "Body.endDate",
        "@.matchedToken.deviceId",
        "matchedToken | value",
        "matchedToken.*",
        "matchedToken.tags[*] | [0]",
        "matchedToken.tags[::-1]",
        "join(', ', matchedToken.tags)",
        "length(matchedToken.note)",
        "to_string(matchedToken.weight)",
        "to_number(matchedToken.value) || `0`",
        "Body[-1].type",
        "Body[?type=='hr'] | [0].value",
        "max(Body[?time > `0`].time)",
        // Timestamp expressions as templates write them, alone and inside a multiselect.
        "fromUnixTimestamp(matchedToken.time)",
        "fromUnixTimestamp(matchedToken.ts)",
        "fromUnixTimestampMs(matchedToken.endMs)",
        "fromUnixTimestampMs(matchedToken.tsMs)",
        "{id: SystemProperties.\"iothub-connection-device-id\", at: fromUnixTimestamp(matchedToken.time), v: matchedToken.value}",
    ];

    /// <summary>Operands for the MedTech arithmetic: integers, floats, fields, nested calls, and wrong types.</summary>
    private static readonly string[] s_operands =
    [
        "`0`", "`1`", "`-1`", "`3`", "`-3`", "`7`", "`39`", "`40`", "`50`", "`2.5`", "`-0.5`", "`0.0`", "`1e3`",
        "`9223372036854775807`", "`-9223372036854775808`",
        "matchedToken.heartRate", "matchedToken.weight", "to_number(matchedToken.height)", "length(matchedToken.tags)",
        "matchedToken.steps", "'7'", "matchedToken.missing", "`[1]`",
    ];

    private static readonly string[] s_arithmetic = ["add", "subtract", "multiply", "divide", "pow"];

    /// <summary>
    /// Every arithmetic function over every pair of operands, nested calls, the date functions over integers, floats,
    /// strings and out-of-range values, and insertString over every position around the string.
    /// </summary>
    public static IEnumerable<string> FunctionCalls()
    {
        foreach (string function in s_arithmetic)
        {
            foreach (string a in s_operands)
            {
                foreach (string b in s_operands)
                {
                    yield return $"{function}({a}, {b})";
                }
            }
        }

        // Nesting as templates do it: unit conversions and derived values.
        yield return "multiply(to_number(matchedToken.height), `0.0254`)";
        yield return "divide(multiply(matchedToken.weight, `10`), `3`)";
        yield return "add(multiply(matchedToken.systolic, `2`), matchedToken.diastolic)";
        yield return "subtract(pow(`2`, `10`), divide(`7`, `2`))";
        yield return "divide(add(matchedToken.systolic, multiply(matchedToken.diastolic, `2`)), `3`)";
        yield return "pow(divide(matchedToken.weight, `100`), `2`)";
        yield return "divide(matchedToken.weight, pow(divide(to_number(matchedToken.height), `39.37`), `2`))";

        string[] times =
        [
            "`0`", "`1`", "`-1`", "`1625677200`", "`1625677200123`", "`253402300799`", "`253402300800`",
            "`-62135596800`", "`-62135596801`", "`1625677200.5`", "'1625677200'", "`null`", "matchedToken.ts", "matchedToken.tsMs",
            "multiply(matchedToken.ts, `1000`)", "add(matchedToken.ts, `60`)", "divide(matchedToken.tsMs, `1000`)",
            "to_number('1625677200')", "`9223372036854775807`",
        ];
        foreach (string time in times)
        {
            yield return $"fromUnixTimestamp({time})";
            yield return $"fromUnixTimestampMs({time})";
        }

        string[] strings = ["'123'", "''", "matchedToken.deviceId", "'Ünï✓'", "`7`"];
        string[] positions = ["`-1`", "`0`", "`1`", "`3`", "`4`", "`1.0`", "'1'", "length(matchedToken.deviceId)"];
        foreach (string text in strings)
        {
            foreach (string position in positions)
            {
                yield return $"insertString({text}, 'patient-', {position})";
            }
        }

        yield return "insertString(matchedToken.deviceId, Properties.patient, `0`)";
        yield return "insertString('123', 'patient', `0`)";
    }
}
