using System.Text.Json;
using System.Text.RegularExpressions;
using MedTechEdge.JsonPath.Ast.Rfc;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Functions;

/// <summary>
/// A call of one of the RFC 9535 function extensions. ValueType functions are comparables; LogicalType ones
/// are tested through <see cref="FunctionTest"/>.
/// </summary>
internal sealed class FunctionCall : Comparable
{
    private readonly FunctionDefinition _definition;
    private readonly FunctionArgument[] _arguments;

    // match/search with a literal pattern: translated and compiled once at parse time (null = not an I-Regexp).
    private readonly Regex? _literalPattern;
    private readonly bool _hasLiteralPattern;

    public FunctionCall(FunctionDefinition definition, FunctionArgument[] arguments)
    {
        _definition = definition;
        _arguments = arguments;
        if (definition.Kind is FunctionKind.Match or FunctionKind.Search
            && arguments[1].Value is LiteralComparable literal
            && literal.Value is { IsString: true } pattern)
        {
            _hasLiteralPattern = true;
            _literalPattern = IRegexpCache.Get(pattern.Element.GetString()!, fullMatch: definition.Kind == FunctionKind.Match);
        }
    }

    public FunctionDefinition Definition => _definition;

    public override FilterValue Evaluate(Evaluator evaluator, in Node current)
    {
        switch (_definition.Kind)
        {
            case FunctionKind.Length:
                return Length(_arguments[0].Value!.Evaluate(evaluator, current));
            case FunctionKind.Count:
            {
                List<Node> nodes = evaluator.SelectNodes(_arguments[0].Nodes!, current);
                int count = nodes.Count;
                evaluator.ReleaseNodes(nodes);
                return FilterValue.OfNumber(count);
            }

            case FunctionKind.Value:
            {
                // §2.4.8: the value of the only node, or Nothing for zero or several nodes.
                List<Node> nodes = evaluator.SelectNodes(_arguments[0].Nodes!, current);
                FilterValue value = nodes.Count == 1 ? FilterValue.Of(nodes[0].Value) : FilterValue.Nothing;
                evaluator.ReleaseNodes(nodes);
                return value;
            }

            default:
                return FilterValue.Nothing;
        }
    }

    /// <summary>§2.4.6 match / §2.4.7 search: LogicalFalse unless both arguments are strings and the pattern is an I-Regexp.</summary>
    public bool TestLogical(Evaluator evaluator, in Node current)
    {
        FilterValue input = _arguments[0].Value!.Evaluate(evaluator, current);
        if (!input.IsString)
        {
            return false;
        }

        Regex? regex = _literalPattern;
        if (!_hasLiteralPattern)
        {
            FilterValue pattern = _arguments[1].Value!.Evaluate(evaluator, current);
            if (!pattern.IsString)
            {
                return false;
            }

            regex = IRegexpCache.Get(pattern.Element.GetString()!, fullMatch: _definition.Kind == FunctionKind.Match);
        }

        return regex is not null && regex.IsMatch(input.Element.GetString()!);
    }

    /// <summary>§2.4.4: Unicode scalar values of a string, elements of an array, members of an object; else Nothing.</summary>
    private static FilterValue Length(in FilterValue argument)
    {
        if (argument.Kind != FilterValueKind.Element)
        {
            return FilterValue.Nothing;
        }

        JsonElement element = argument.Element;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                string text = element.GetString()!;
                int scalars = 0;
                for (int i = 0; i < text.Length; i++)
                {
                    // A surrogate pair is one scalar value.
                    if (!(char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
                    {
                        scalars++;
                    }
                }

                return FilterValue.OfNumber(scalars);
            case JsonValueKind.Array:
                return FilterValue.OfNumber(element.GetArrayLength());
            case JsonValueKind.Object:
                int members = 0;
                foreach (JsonProperty unused in element.EnumerateObject())
                {
                    members++;
                }

                return FilterValue.OfNumber(members);
            default:
                return FilterValue.Nothing;
        }
    }
}
