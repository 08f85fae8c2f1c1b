namespace MedTechEdge.JmesPath.Lexing;

/// <summary>
/// One token. <see cref="Text"/> holds the decoded name of an identifier; <see cref="Number"/> the value of a
/// number token; <see cref="Value"/> the parsed value of a literal or raw string.
/// </summary>
internal readonly record struct Token(TokenKind Kind, int Position, string? Text = null, int Number = 0, JmesPathValue Value = default);
