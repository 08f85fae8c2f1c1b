namespace MedTechEdge.JsonPath.Lexing;

/// <summary>
/// One token. <see cref="SpaceBefore"/> records blank space (RFC 9535 §2.1.1 <c>S</c>) before it, because a few
/// rules forbid it: after <c>.</c> and <c>..</c>, between a function name and <c>(</c>, and at either end.
/// </summary>
internal readonly record struct Token(TokenKind Kind, int Start, int End, string? Text, bool SpaceBefore);
