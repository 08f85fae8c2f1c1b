using System.Text;

namespace MedTechEdge.JsonPath.Tests.Differential;

/// <summary>
/// Seeded random JSON documents: objects, arrays, strings, integers, floats, booleans and null, nested a few
/// levels. Keys come from a small pool (with hyphenated keys, a digit key and MedTech names) so that generated
/// paths hit often. Keys are unique per object: Json.NET keeps the last duplicate in the first position, which
/// no JsonElement lookup reproduces, and MedTech envelopes never have duplicates.
/// </summary>
internal sealed class DocumentGenerator
{
    public static readonly string[] Keys =
    [
        "a", "b", "c", "heartRate", "Body", "type", "x-y", "device-id", "v", "1", "matchedToken", "t",
    ];

    private static readonly string[] s_strings = ["", "a", "b", "hr", "78", "65", "12.5", "abc", "x-y", "true", " 7 "];

    // Integers stay inside Int64 (Json.NET would switch to BigInteger beyond it, see docs/jsonpath.md).
    private static readonly string[] s_numbers = ["0", "1", "2", "3", "7", "65", "78", "100", "-1", "-5", "1.0", "2.5", "78.0", "78.5", "-0.5", "1e2", "0.1"];

    private readonly Random _random;

    public DocumentGenerator(Random random) => _random = random;

    public string Next()
    {
        var sb = new StringBuilder();
        if (_random.Next(10) < 7)
        {
            WriteObject(sb, 0);
        }
        else
        {
            WriteArray(sb, 0);
        }

        return sb.ToString();
    }

    private void WriteValue(StringBuilder sb, int depth)
    {
        int roll = _random.Next(depth >= 3 ? 6 : 10);
        switch (roll)
        {
            case 0:
            case 1:
                sb.Append('"').Append(s_strings[_random.Next(s_strings.Length)]).Append('"');
                break;
            case 2:
            case 3:
                sb.Append(s_numbers[_random.Next(s_numbers.Length)]);
                break;
            case 4:
                sb.Append(_random.Next(2) == 0 ? "true" : "false");
                break;
            case 5:
                sb.Append("null");
                break;
            case 6:
            case 7:
            case 8:
                WriteObject(sb, depth + 1);
                break;
            default:
                WriteArray(sb, depth + 1);
                break;
        }
    }

    private void WriteObject(StringBuilder sb, int depth)
    {
        int count = _random.Next(depth == 0 ? 1 : 0, 5);
        var used = new HashSet<string>();
        sb.Append('{');
        for (int i = 0; i < count; i++)
        {
            string key = Keys[_random.Next(Keys.Length)];
            if (!used.Add(key))
            {
                continue;
            }

            if (used.Count > 1)
            {
                sb.Append(',');
            }

            sb.Append('"').Append(key).Append("\":");
            WriteValue(sb, depth);
        }

        sb.Append('}');
    }

    private void WriteArray(StringBuilder sb, int depth)
    {
        int count = _random.Next(0, 5);
        sb.Append('[');
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            WriteValue(sb, depth);
        }

        sb.Append(']');
    }
}
