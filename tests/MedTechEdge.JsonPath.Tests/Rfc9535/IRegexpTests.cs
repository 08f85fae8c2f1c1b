using MedTechEdge.JsonPath.Functions;

namespace MedTechEdge.JsonPath.Tests.Rfc9535;

/// <summary>I-Regexp (RFC 9485) on .NET: scalar-value semantics over UTF-16, and rejection of non-I-Regexp syntax.</summary>
public sealed class IRegexpTests
{
    private const string Clef = "\U0001D11E"; // MUSICAL SYMBOL G CLEF, a surrogate pair in UTF-16

    [Theory]
    [InlineData(".", Clef, true)]
    [InlineData("a.b", "a" + Clef + "b", true)]
    [InlineData(".", "\r", false)]
    [InlineData(".", "\n", false)]
    [InlineData(".", "\u2028", true)]
    [InlineData("[^a]", Clef, true)]
    [InlineData("[^" + Clef + "]", Clef, false)]
    [InlineData("[^" + Clef + "]", "x", true)]
    [InlineData("[\U0001D100-\U0001D1FF]", Clef, true)]
    [InlineData("[\U0001D100-\U0001D1FF]", "\U0001D200", false)]
    [InlineData("[\U00010000-\U0010FFFF]", "\U0010FFFD", true)]
    [InlineData(Clef + "+", Clef + Clef, true)]
    [InlineData("[a-c-]+", "ab-c", true)]
    [InlineData("\\p{Lu}\\P{Lu}", "Ab", true)]
    [InlineData("[\\p{Nd}x]{2,3}", "1x", true)]
    [InlineData("a|bc", "bc", true)]
    [InlineData("(ab)*", "abab", true)]
    [InlineData("\\.", "a", false)]
    [InlineData("[\\]]", "]", true)]
    [InlineData("ab.*", "xab", false)]
    [InlineData("^ab.*", "ab", true)]
    [InlineData(".*bc$", "abc\n", false)]
    public void Match_Is_A_Whole_String_Match_Over_Unicode_Scalar_Values(string pattern, string input, bool expected)
    {
        Assert.Equal(expected, IRegexpCache.Get(pattern, fullMatch: true)!.IsMatch(input));
    }

    [Theory]
    [InlineData("b", "abc", true)]
    [InlineData("^b", "abc", false)]
    [InlineData(".", "\r\n", false)]
    public void Search_Finds_A_Match_Anywhere(string pattern, string input, bool expected)
    {
        Assert.Equal(expected, IRegexpCache.Get(pattern, fullMatch: false)!.IsMatch(input));
    }

    [Theory]
    [InlineData("(")]
    [InlineData("a{")]
    [InlineData("a{2,1}")]
    [InlineData("\\d")]
    [InlineData("\\w+")]
    [InlineData("[]")]
    [InlineData("[a")]
    [InlineData("a**")]
    [InlineData("(?:a)")]
    [InlineData("\\p{Xx}")]
    [InlineData("a]")]
    [InlineData("[a--b]")]
    public void Patterns_That_Are_Not_I_Regexps_Yield_No_Regex(string pattern)
    {
        Assert.Null(IRegexpCache.Get(pattern, fullMatch: true));
    }
}
