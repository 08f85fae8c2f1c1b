using System.Text;

namespace MedTechEdge.JmesPath.Functions;

/// <summary>contains, ends_with, starts_with, join, length, reverse.</summary>
internal static partial class StandardFunctions
{
    /// <summary>
    /// Specification, contains: for an array, whether an item equals $search; for a string, whether $search is a
    /// substring. A non-string $search never occurs in a string.
    /// </summary>
    private static JmesPathValue Contains(scoped in FunctionArguments arguments)
    {
        JmesPathValue subject = arguments[0];
        JmesPathValue search = arguments[1];
        if (subject.Kind == JmesPathValueKind.String)
        {
            return JmesPathValue.Boolean(
                search.Kind == JmesPathValueKind.String
                && subject.GetString().Contains(search.GetString(), StringComparison.Ordinal));
        }

        foreach (JmesPathValue item in subject.EnumerateArray())
        {
            if (Interpretation.ValueComparer.DeepEquals(item, search))
            {
                return JmesPathValue.True;
            }
        }

        return JmesPathValue.False;
    }

    private static JmesPathValue EndsWith(scoped in FunctionArguments arguments) =>
        JmesPathValue.Boolean(arguments[0].GetString().EndsWith(arguments[1].GetString(), StringComparison.Ordinal));

    private static JmesPathValue StartsWith(scoped in FunctionArguments arguments) =>
        JmesPathValue.Boolean(arguments[0].GetString().StartsWith(arguments[1].GetString(), StringComparison.Ordinal));

    private static JmesPathValue Join(scoped in FunctionArguments arguments)
    {
        string glue = arguments[0].GetString();
        var builder = new StringBuilder();
        bool first = true;
        foreach (JmesPathValue item in arguments[1].EnumerateArray())
        {
            if (!first)
            {
                builder.Append(glue);
            }

            builder.Append(item.GetString());
            first = false;
        }

        return JmesPathValue.String(builder.ToString());
    }

    /// <summary>Specification, length: code points of a string (not UTF-16 units), items of an array, members of an object.</summary>
    private static JmesPathValue Length(scoped in FunctionArguments arguments)
    {
        JmesPathValue subject = arguments[0];
        return subject.Kind switch
        {
            JmesPathValueKind.String => JmesPathValue.Number(CountCodePoints(subject.GetString())),
            JmesPathValueKind.Array => JmesPathValue.Number(subject.GetArrayLength()),
            _ => JmesPathValue.Number(subject.GetPropertyCount()),
        };
    }

    /// <summary>Reverses an array, or a string by code point so surrogate pairs stay intact.</summary>
    private static JmesPathValue Reverse(scoped in FunctionArguments arguments)
    {
        JmesPathValue subject = arguments[0];
        if (subject.Kind == JmesPathValueKind.String)
        {
            string text = subject.GetString();
            var builder = new StringBuilder(text.Length);
            for (int i = text.Length; i > 0;)
            {
                int start = char.IsLowSurrogate(text[i - 1]) && i >= 2 && char.IsHighSurrogate(text[i - 2]) ? i - 2 : i - 1;
                builder.Append(text, start, i - start);
                i = start;
            }

            return JmesPathValue.String(builder.ToString());
        }

        var items = new List<JmesPathValue>(subject.GetArrayLength());
        foreach (JmesPathValue item in subject.EnumerateArray())
        {
            items.Add(item);
        }

        items.Reverse();
        return JmesPathValue.Array(items);
    }

    private static int CountCodePoints(string text)
    {
        int count = 0;
        foreach (Rune _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
