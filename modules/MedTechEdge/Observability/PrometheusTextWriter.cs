using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MedTechEdge.Observability;

/// <summary>
/// Writes the Prometheus text exposition format, version 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats):
/// UTF-8, one sample a line, each line ending in <c>\n</c> (the last one too). A metric family is one
/// <c># HELP</c> line, one <c># TYPE</c> line, then all its samples together. Every sample carries the
/// writer's constant labels first (IoT Edge's <c>iothub</c>, <c>edge_device</c>, <c>instance_number</c>).
/// </summary>
internal sealed class PrometheusTextWriter
{
    /// <summary>The Content-Type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new(8192);
    private readonly string _constantLabels;

    /// <param name="constantLabels">Labels every sample carries, in order.</param>
    public PrometheusTextWriter(IReadOnlyList<(string Name, string Value)> constantLabels)
    {
        var labels = new StringBuilder();
        foreach ((string name, string value) in constantLabels)
        {
            AppendLabel(labels, name, value);
        }

        _constantLabels = labels.ToString();
    }

    /// <summary>Starts a family: its HELP and TYPE lines.</summary>
    /// <param name="type"><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</param>
    public void Family(string name, string type, string help)
    {
        Debug.Assert(IsValidName(name), name);
        Debug.Assert(type is "counter" or "gauge" or "histogram", type);
        // A counter's name ends in _total (Prometheus naming conventions); a histogram's samples add their suffixes.
        Debug.Assert(type != "counter" || name.EndsWith("_total", StringComparison.Ordinal), name);
        _text.Append("# HELP ").Append(name).Append(' ');
        // In a docstring only the backslash and the line feed are escaped (as \\ and \n).
        foreach (char c in help)
        {
            _ = c switch
            {
                '\\' => _text.Append(@"\\"),
                '\n' => _text.Append(@"\n"),
                _ => _text.Append(c),
            };
        }

        _text.Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>One sample of an integer value.</summary>
    public void Sample(string name, ReadOnlySpan<(string Name, string Value)> labels, long value)
    {
        StartSample(name, labels);
        _text.Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>One sample of a float value.</summary>
    public void Sample(string name, ReadOnlySpan<(string Name, string Value)> labels, double value)
    {
        StartSample(name, labels);
        _text.Append(FormatValue(value)).Append('\n');
    }

    /// <summary>
    /// A whole histogram family: cumulative <c>_bucket{le="…"}</c> samples ending with <c>le="+Inf"</c>, then
    /// <c>_sum</c> and <c>_count</c> (which equals the +Inf bucket).
    /// </summary>
    /// <param name="bounds">Upper bounds, ascending.</param>
    /// <param name="counts">Observations per bucket, not cumulative; one more than <paramref name="bounds"/> (above the last bound).</param>
    public void Histogram(string name, string help, ReadOnlySpan<double> bounds, ReadOnlySpan<long> counts, double sum)
    {
        Debug.Assert(counts.Length == bounds.Length + 1);
        Family(name, "histogram", help);
        string bucket = name + "_bucket";
        long cumulative = 0;
        for (int i = 0; i < bounds.Length; i++)
        {
            cumulative += counts[i];
            Sample(bucket, [("le", FormatValue(bounds[i]))], cumulative);
        }

        cumulative += counts[^1];
        Sample(bucket, [("le", "+Inf")], cumulative);
        Sample(name + "_sum", [], sum);
        Sample(name + "_count", [], cumulative);
    }

    /// <inheritdoc/>
    public override string ToString() => _text.ToString();

    /// <summary>A float as the format writes it: Go's ParseFloat syntax, with <c>+Inf</c>, <c>-Inf</c> and <c>NaN</c>.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// A label value as the format quotes it: a backslash as <c>\\</c>, a double quote as <c>\"</c>, a line feed as
    /// <c>\n</c>; everything else, any UTF-8, as it is.
    /// </summary>
    public static string EscapeLabelValue(string value)
    {
        if (value.AsSpan().IndexOfAny('\\', '"', '\n') < 0)
        {
            return value;
        }

        var escaped = new StringBuilder(value.Length + 8);
        AppendEscaped(escaped, value);
        return escaped.ToString();
    }

    /// <summary>Metric names: <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; label names the same without the colon (and <c>__</c> is reserved).</summary>
    public static bool IsValidName(string name, bool label = false)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || (label && name.StartsWith("__", StringComparison.Ordinal)))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || (c == ':' && !label)))
            {
                return false;
            }
        }

        return true;
    }

    private void StartSample(string name, ReadOnlySpan<(string Name, string Value)> labels)
    {
        _text.Append(name);
        if (_constantLabels.Length == 0 && labels.IsEmpty)
        {
            _text.Append(' ');
            return;
        }

        _text.Append('{').Append(_constantLabels);
        foreach ((string label, string value) in labels)
        {
            AppendLabel(_text, label, value);
        }

        // The constant labels and the sample's each end in a comma; the format allows none before the brace, so drop it.
        _text.Length--;
        _text.Append("} ");
    }

    private static void AppendLabel(StringBuilder text, string name, string value)
    {
        Debug.Assert(IsValidName(name, label: true), name);
        text.Append(name).Append("=\"");
        AppendEscaped(text, value);
        text.Append("\",");
    }

    private static void AppendEscaped(StringBuilder text, string value)
    {
        foreach (char c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }
    }
}
