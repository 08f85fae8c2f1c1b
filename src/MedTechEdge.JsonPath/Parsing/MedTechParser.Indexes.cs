using MedTechEdge.JsonPath.Ast;
using MedTechEdge.JsonPath.Ast.MedTech;

namespace MedTechEdge.JsonPath.Parsing;

/// <summary>Index, index-list, slice and <c>[*]</c> brackets of the MedTech dialect.</summary>
internal sealed partial class MedTechParser
{
    /// <summary>
    /// Reads <c>n</c>, <c>n,m,…</c>, <c>start:end:step</c> or <c>*</c> up to <paramref name="close"/>, with Json.NET's
    /// quirks: a slice inside a list is read as plain indices (<c>[1,5:7]</c> is <c>[1,7]</c>), a <c>*</c> anywhere
    /// makes the whole bracket <c>[*]</c>, and a fourth slice part overwrites the step. Numbers are Int32.
    /// </summary>
    private PathStep ParseIndexBracket(char close)
    {
        int start = _pos;
        int? end = null;
        List<int>? indices = null;
        int colons = 0;
        int? sliceStart = null;
        int? sliceEnd = null;
        int? sliceStep = null;
        int? stepPosition = null;
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c == ' ')
            {
                end = _pos;
                SkipSpaces();
                continue;
            }

            if (c == close)
            {
                int length = (end ?? _pos) - start;
                if (indices is not null)
                {
                    indices.Add(ReadIndex(start, length));
                    return new NetIndexStep(indices.ToArray());
                }

                if (colons > 0)
                {
                    if (length > 0)
                    {
                        int value = ReadInt(start, length);
                        if (colons == 1)
                        {
                            sliceEnd = value;
                        }
                        else
                        {
                            sliceStep = value;
                            stepPosition = start;
                        }
                    }

                    if (sliceStep == 0)
                    {
                        // Json.NET throws "Step cannot be zero." when the query runs; we reject it here.
                        Fail("Slice step cannot be zero", stepPosition ?? start);
                    }

                    return new NetSliceStep(sliceStart, sliceEnd, sliceStep);
                }

                return new NetIndexStep([ReadIndex(start, length)]);
            }

            switch (c)
            {
                case ',':
                    (indices ??= new List<int>()).Add(ReadIndex(start, (end ?? _pos) - start));
                    _pos++;
                    SkipSpaces();
                    start = _pos;
                    end = null;
                    break;
                case '*':
                    _pos++;
                    SkipSpaces();
                    EnsureMore("Unclosed '['");
                    if (_text[_pos] != close)
                    {
                        Fail("Unexpected " + ThrowHelper.Describe(_text, _pos), _pos);
                    }

                    return new NetIndexStep(null);
                case ':':
                    int partLength = (end ?? _pos) - start;
                    if (partLength > 0)
                    {
                        int value = ReadInt(start, partLength);
                        if (colons == 0)
                        {
                            sliceStart = value;
                        }
                        else if (colons == 1)
                        {
                            sliceEnd = value;
                        }
                        else
                        {
                            sliceStep = value;
                            stepPosition = start;
                        }
                    }

                    colons++;
                    _pos++;
                    SkipSpaces();
                    start = _pos;
                    end = null;
                    break;
                default:
                    if ((!char.IsDigit(c) && c != '-') || end is not null)
                    {
                        Fail("Unexpected " + ThrowHelper.DescribeChar(c) + " in an index", _pos);
                    }

                    _pos++;
                    break;
            }
        }

        return ThrowHelper.Syntax<PathStep>("Unclosed '['", _pos, _text);
    }

    private int ReadIndex(int start, int length)
    {
        if (length == 0)
        {
            Fail("Array index expected", start);
        }

        int value = ReadInt(start, length);
        if (value < 0)
        {
            // Json.NET throws ArgumentOutOfRangeException when a negative index meets an array; we reject it here.
            Fail("Negative array indices are not supported in the MedTech dialect", start);
        }

        return value;
    }

    private int ReadInt(int start, int length)
    {
        if (!TryParseInt(_text.AsSpan(start, length), out int value))
        {
            Fail("Invalid or out-of-range (Int32) index '" + _text.Substring(start, length) + "'", start);
        }

        return value;
    }
}
