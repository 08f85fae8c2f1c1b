using System.Text;

namespace MedTechEdge.JsonPath.Tests.Differential;

/// <summary>
/// Seeded random paths in the MedTech (Json.NET) grammar: dot and bracket names, <c>.*</c> and <c>[*]</c>,
/// indices and index lists, slices, recursive descent, filters with existence tests and comparisons against
/// string, number, boolean and null literals or other paths, joined by <c>&amp;&amp;</c> and <c>||</c>.
/// A few shapes Json.NET rejects are mixed in on purpose, so "both reject" is exercised too.
/// </summary>
/// <remarks>
/// Shapes left out, each for a documented difference (docs/jsonpath.md):
/// <list type="bullet">
/// <item>Negative indices and a zero slice step: we reject at parse time; Json.NET throws
/// ArgumentOutOfRange / JsonException only when the query meets an array (D1, D2). Slices use no negatives either.</item>
/// <item>Filter operands that can be true for a Json.NET <c>JProperty</c> wrapper: a bare <c>@</c>, a literal on
/// the left, <c>$…</c> on the left, <c>@..x</c> and nested filters inside a filter path. Json.NET tests the
/// wrappers of object members and would return them; a JsonElement has no such node (D3). Every left operand is
/// therefore <c>@</c> followed by at least one member or index step.</item>
/// <item>Documents with duplicate keys and integers beyond Int64 (see <see cref="DocumentGenerator"/>).</item>
/// </list>
/// Ordering comparisons whose operands Json.NET cannot convert (<c>"abc" &gt; 70</c>) throw FormatException in
/// Json.NET and are false here (D4). That depends on the data, not the shape, so such cases are counted and
/// reported by the test rather than excluded here.
/// </remarks>
internal sealed class PathGenerator
{
    private static readonly string[] s_literals =
    [
        "'a'", "'hr'", "'78'", "'abc'", "''", "'x-y'", "0", "1", "7", "65", "78", "100", "-1", "1.0", "2.5", "78.5", "-0.5",
        "true", "false", "null",
    ];

    private static readonly string[] s_numberLiterals = ["0", "1", "7", "65", "70", "78", "100", "-1", "1.0", "2.5", "78.5", "-0.5", "1e2"];

    private static readonly string[] s_operators = ["==", "!=", "<", "<=", ">", ">=", "==", "!=", "===", "!==", "<>"];

    private readonly Random _random;

    public PathGenerator(Random random) => _random = random;

    public string Next()
    {
        var sb = new StringBuilder();
        int prefix = _random.Next(20);
        if (prefix == 0)
        {
            // no '$': Json.NET starts at the root anyway
        }
        else
        {
            sb.Append('$');
        }

        int steps = _random.Next(prefix == 0 ? 1 : 0, 4);
        for (int i = 0; i < steps; i++)
        {
            AppendStep(sb, top: true, first: i == 0 && prefix == 0);
        }

        if (_random.Next(60) == 0)
        {
            AppendInvalidTail(sb);
        }

        return sb.ToString();
    }

    private string Key() => DocumentGenerator.Keys[_random.Next(DocumentGenerator.Keys.Length)];

    private void AppendStep(StringBuilder sb, bool top, bool first)
    {
        int roll = _random.Next(top ? 16 : 9);
        switch (roll)
        {
            case 0:
            case 1:
            case 2:
                sb.Append(first ? string.Empty : ".").Append(Key());
                break;
            case 3:
                sb.Append("['").Append(Key()).Append("']");
                break;
            case 4:
                sb.Append(_random.Next(2) == 0 ? "['" : "[ '").Append(Key()).Append("','").Append(Key()).Append("']");
                break;
            case 5:
                sb.Append('[').Append(_random.Next(4)).Append(']');
                break;
            case 6:
                sb.Append(first ? "*" : ".*");
                break;
            case 7:
                sb.Append("[*]");
                break;
            case 8:
                sb.Append('[').Append(_random.Next(3)).Append(',').Append(_random.Next(4)).Append(']');
                break;
            case 9:
                AppendSlice(sb);
                break;
            case 10:
                sb.Append("..").Append(_random.Next(5) == 0 ? "*" : Key());
                break;
            case 11:
                sb.Append("..['").Append(Key()).Append("','").Append(Key()).Append("']");
                break;
            case 12:
            case 13:
                sb.Append("..[?(");
                AppendFilter(sb);
                sb.Append(")]");
                break;
            case 14:
                sb.Append("[?(");
                AppendFilter(sb);
                sb.Append(")]");
                break;
            default:
                sb.Append(_random.Next(3) switch { 0 => "..[0]", 1 => "..[*]", _ => ".['" + Key() + "']" });
                break;
        }
    }

    private void AppendSlice(StringBuilder sb)
    {
        sb.Append('[');
        if (_random.Next(3) > 0)
        {
            sb.Append(_random.Next(4));
        }

        sb.Append(':');
        if (_random.Next(3) > 0)
        {
            sb.Append(_random.Next(5));
        }

        if (_random.Next(3) == 0)
        {
            sb.Append(':').Append(_random.Next(1, 3));
        }

        sb.Append(']');
    }

    private void AppendFilter(StringBuilder sb)
    {
        int parts = _random.Next(1, 4);
        for (int i = 0; i < parts; i++)
        {
            if (i > 0)
            {
                sb.Append(_random.Next(2) == 0 ? " && " : " || ");
            }

            AppendBasic(sb);
        }
    }

    private void AppendBasic(StringBuilder sb)
    {
        AppendRelativePath(sb);
        if (_random.Next(3) == 0)
        {
            return; // existence test
        }

        string op = s_operators[_random.Next(s_operators.Length)];
        bool spaced = _random.Next(8) != 0;
        sb.Append(spaced ? " " : string.Empty).Append(op).Append(spaced ? " " : string.Empty);
        int right = _random.Next(10);
        if (right == 0)
        {
            sb.Append('$');
            AppendStep(sb, top: false, first: false);
        }
        else if (right == 1)
        {
            AppendRelativePath(sb);
        }
        else if (op is "<" or "<=" or ">" or ">=" && _random.Next(4) > 0)
        {
            sb.Append(s_numberLiterals[_random.Next(s_numberLiterals.Length)]);
        }
        else
        {
            sb.Append(s_literals[_random.Next(s_literals.Length)]);
        }
    }

    /// <summary><c>@</c> and one to three member or index steps (see the remarks on JProperty wrappers).</summary>
    private void AppendRelativePath(StringBuilder sb)
    {
        sb.Append('@');
        int steps = _random.Next(1, 4);
        for (int i = 0; i < steps; i++)
        {
            switch (_random.Next(i == 0 ? 7 : 6))
            {
                case 0:
                case 1:
                case 2:
                    sb.Append('.').Append(Key());
                    break;
                case 3:
                    sb.Append("['").Append(Key()).Append("']");
                    break;
                case 4:
                    sb.Append('[').Append(_random.Next(3)).Append(']');
                    break;
                case 5:
                    sb.Append(".*");
                    break;
                default:
                    sb.Append(Key()); // @name without a dot
                    break;
            }
        }
    }

    private void AppendInvalidTail(StringBuilder sb)
    {
        sb.Append(_random.Next(5) switch
        {
            0 => "[?(@.a==1&&@.b)]",
            1 => "[\"a\"]",
            2 => "[?@.a]",
            3 => ".",
            _ => "['a'",
        });
    }
}
