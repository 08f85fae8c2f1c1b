namespace MedTechEdge.JsonPath.Lexing;

/// <summary>Tokens of RFC 9535 JSONPath (§2.1.1 ABNF).</summary>
internal enum TokenKind
{
    End,
    Root,          // $
    Current,       // @
    Dot,           // .
    DoubleDot,     // ..
    LeftBracket,   // [
    RightBracket,  // ]
    LeftParen,     // (
    RightParen,    // )
    Comma,         // ,
    Colon,         // :
    Question,      // ?
    Star,          // *
    Not,           // !
    And,           // &&
    Or,            // ||
    Equal,         // ==
    NotEqual,      // !=
    Less,          // <
    LessOrEqual,   // <=
    Greater,       // >
    GreaterOrEqual, // >=
    Name,          // member-name-shorthand, function name, true, false, null
    String,        // string-literal, decoded
    Number,        // number or int, raw text
}
