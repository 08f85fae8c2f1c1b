using MedTechEdge.JmesPath.Lexing;

namespace MedTechEdge.JmesPath.Parsing;

/// <summary>
/// Left binding powers of the tokens. A higher power binds tighter. Tokens that can only start an expression or
/// close one have 0, so they always end the current Pratt loop.
/// </summary>
internal static class BindingPower
{
    /// <summary>
    /// A projection's right side keeps absorbing tokens with a power of at least this; weaker tokens
    /// (pipe, or, and, comparators, flatten) end the projection (specification, "Projections").
    /// </summary>
    public const int ProjectionStop = 10;

    public const int Pipe = 1;
    public const int Or = 2;
    public const int And = 3;
    public const int Comparator = 5;
    public const int Flatten = 9;
    public const int Star = 20;
    public const int Filter = 21;
    public const int Dot = 40;
    public const int Not = 45;
    public const int LBrace = 50;
    public const int LBracket = 55;
    public const int LParen = 60;

    private static readonly int[] s_table = Build();

    public static int Of(TokenKind kind) => s_table[(int)kind];

    private static int[] Build()
    {
        int[] table = new int[Enum.GetValues<TokenKind>().Length];
        table[(int)TokenKind.Pipe] = Pipe;
        table[(int)TokenKind.Or] = Or;
        table[(int)TokenKind.And] = And;
        table[(int)TokenKind.Equal] = Comparator;
        table[(int)TokenKind.NotEqual] = Comparator;
        table[(int)TokenKind.LessThan] = Comparator;
        table[(int)TokenKind.LessThanOrEqual] = Comparator;
        table[(int)TokenKind.GreaterThan] = Comparator;
        table[(int)TokenKind.GreaterThanOrEqual] = Comparator;
        table[(int)TokenKind.Flatten] = Flatten;
        table[(int)TokenKind.Star] = Star;
        table[(int)TokenKind.Filter] = Filter;
        table[(int)TokenKind.Dot] = Dot;
        table[(int)TokenKind.Not] = Not;
        table[(int)TokenKind.LBrace] = LBrace;
        table[(int)TokenKind.LBracket] = LBracket;
        table[(int)TokenKind.LParen] = LParen;
        return table;
    }
}
