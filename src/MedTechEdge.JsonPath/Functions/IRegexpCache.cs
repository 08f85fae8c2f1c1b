using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace MedTechEdge.JsonPath.Functions;

/// <summary>
/// Translated and compiled I-Regexps. Literal patterns are compiled once at parse time; patterns read from the
/// document (<c>match(@.a, $.pattern)</c>) go through a bounded cache so that a hostile document cannot grow it.
/// </summary>
internal static class IRegexpCache
{
    private const int Limit = 512;
    private static readonly ConcurrentDictionary<(string Pattern, bool FullMatch), Regex?> s_cache = new();

    /// <summary>The .NET regex for an I-Regexp, or null when <paramref name="pattern"/> is not a valid I-Regexp.</summary>
    public static Regex? Get(string pattern, bool fullMatch)
    {
        if (s_cache.TryGetValue((pattern, fullMatch), out Regex? regex))
        {
            return regex;
        }

        regex = Create(pattern, fullMatch);
        if (s_cache.Count < Limit)
        {
            s_cache.TryAdd((pattern, fullMatch), regex);
        }

        return regex;
    }

    private static Regex? Create(string pattern, bool fullMatch)
    {
        string? translated = IRegexpTranslator.Translate(pattern);
        if (translated is null)
        {
            return null;
        }

        // match() is a whole-string match (§2.4.6), search() a substring match (§2.4.7). NonBacktracking keeps the
        // cost linear in the input even for patterns taken from documents; the translation uses no lookarounds.
        string text = fullMatch ? @"\A(?:" + translated + @")\z" : translated;
        try
        {
            return new Regex(text, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (ArgumentException)
        {
            return null; // e.g. {3,1}
        }
    }
}
