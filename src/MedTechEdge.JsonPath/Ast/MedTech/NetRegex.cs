using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace MedTechEdge.JsonPath.Ast.MedTech;

/// <summary>
/// Json.NET's <c>=~</c>: the right operand is the text <c>/pattern/flags</c>, run as a .NET regex with a partial
/// match. Flags: <c>i</c> IgnoreCase, <c>m</c> Multiline, <c>s</c> Singleline, <c>x</c> ExplicitCapture; other
/// letters are ignored.
/// </summary>
internal static class NetRegex
{
    private const int CacheLimit = 256;
    private static readonly ConcurrentDictionary<string, Regex?> s_dynamic = new(StringComparer.Ordinal);

    /// <summary>Builds the regex for <c>/pattern/flags</c> text, or returns null when the text is not one.</summary>
    public static Regex? TryCreate(string text)
    {
        int close = text.LastIndexOf('/');
        if (text.Length < 2 || text[0] != '/' || close <= 0)
        {
            return null;
        }

        var options = RegexOptions.None;
        foreach (char flag in text.AsSpan(close + 1))
        {
            options |= flag switch
            {
                'i' => RegexOptions.IgnoreCase,
                'm' => RegexOptions.Multiline,
                's' => RegexOptions.Singleline,
                'x' => RegexOptions.ExplicitCapture,
                _ => RegexOptions.None,
            };
        }

        try
        {
            return new Regex(text.Substring(1, close - 1), options);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public static bool IsMatch(string input, in NetScalar pattern, Regex? compiled)
    {
        Regex? regex = compiled;
        if (regex is null)
        {
            // A pattern that came from the document: Json.NET throws on malformed text; here it does not match.
            string text = pattern.GetString();
            if (!s_dynamic.TryGetValue(text, out regex))
            {
                regex = TryCreate(text);
                if (s_dynamic.Count < CacheLimit)
                {
                    s_dynamic.TryAdd(text, regex);
                }
            }
        }

        return regex is not null && regex.IsMatch(input);
    }
}
