using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MedTechEdge.Tests.Observability;

/// <summary>One sample of a scrape: its name, labels (unescaped) and value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict reader of the text exposition format 0.0.4, written for the tests and independent of the module's writer:
/// every line must be a HELP, a TYPE or a sample line; each family has one HELP and one TYPE before its samples, and
/// its samples stand together; names are snake_case; counters end in _total; a histogram's buckets are cumulative,
/// end with le="+Inf", and that bucket equals _count. Fails the test at the first violation, naming the line.
/// </summary>
internal static partial class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var samples = new List<PrometheusSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        string[] lines = text[..^1].Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n];
            string where = $"line {n + 1}: {line}";
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                Match help = HelpLine().Match(line);
                Assert.True(help.Success, where);
                string name = help.Groups["name"].Value;
                Assert.True(helps.Add(name), "a second HELP, " + where);
                Assert.False(finished.Contains(name), "a family split in two, " + where);
                StartFamily(ref current, name, finished);
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                Match type = TypeLine().Match(line);
                Assert.True(type.Success, where);
                string name = type.Groups["name"].Value;
                Assert.True(types.TryAdd(name, type.Groups["type"].Value), "a second TYPE, " + where);
                Assert.Equal(current, name);
                if (type.Groups["type"].Value == "counter")
                {
                    Assert.True(name.EndsWith("_total", StringComparison.Ordinal), "a counter without _total, " + where);
                }

                continue;
            }

            Assert.False(line.StartsWith('#'), "an unexpected comment, " + where);
            PrometheusSample sample = ParseSample(line, where);
            string family = FamilyOf(sample.Name, types);
            Assert.True(types.ContainsKey(family), "a sample before its TYPE, " + where);
            Assert.Equal(current, family);
            samples.Add(sample);
        }

        foreach ((string name, string type) in types)
        {
            Assert.Matches("^[a-z][a-z0-9_]*$", name);
            if (type == "histogram")
            {
                CheckHistogram(name, samples);
            }
        }

        return samples;
    }

    private static void StartFamily(ref string? current, string name, HashSet<string> finished)
    {
        if (current is not null)
        {
            finished.Add(current);
        }

        current = name;
    }

    private static string FamilyOf(string sample, Dictionary<string, string> types)
    {
        foreach (string suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && types.GetValueOrDefault(sample[..^suffix.Length]) == "histogram")
            {
                return sample[..^suffix.Length];
            }
        }

        return sample;
    }

    private static PrometheusSample ParseSample(string line, string where)
    {
        Match name = SampleName().Match(line);
        Assert.True(name.Success, "no metric name, " + where);
        int at = name.Length;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (at < line.Length && line[at] == '{')
        {
            at++;
            while (line[at] != '}')
            {
                Match label = LabelName().Match(line, at);
                Assert.True(label.Success && label.Index == at, "a bad label name, " + where);
                at += label.Length;
                Assert.True(line[at] == '"', "a label value without quotes, " + where);
                at++;
                var value = new StringBuilder();
                while (line[at] != '"')
                {
                    if (line[at] == '\\')
                    {
                        at++;
                        value.Append(line[at] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new Xunit.Sdk.XunitException("an unknown escape, " + where),
                        });
                    }
                    else
                    {
                        value.Append(line[at]);
                    }

                    at++;
                }

                at++;
                Assert.True(labels.TryAdd(label.Groups["name"].Value, value.ToString()), "a label twice, " + where);
                if (line[at] == ',')
                {
                    at++;
                }
                else
                {
                    Assert.True(line[at] == '}', "labels not separated by a comma, " + where);
                }
            }

            at++;
        }

        Assert.True(at < line.Length && line[at] == ' ', "no space before the value, " + where);
        string text = line[(at + 1)..];
        double parsed = text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new Xunit.Sdk.XunitException("a bad value, " + where),
        };
        return new PrometheusSample(name.Value, labels, parsed);
    }

    private static void CheckHistogram(string name, List<PrometheusSample> samples)
    {
        var buckets = samples.Where(s => s.Name == name + "_bucket").ToList();
        Assert.NotEmpty(buckets);
        Assert.Equal("+Inf", buckets[^1].Labels["le"]);
        double previousBound = double.NegativeInfinity, previousCount = 0;
        foreach (PrometheusSample bucket in buckets)
        {
            double bound = bucket.Labels["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(bucket.Labels["le"], CultureInfo.InvariantCulture);
            Assert.True(bound > previousBound, $"{name}: bucket bounds not ascending at le={bucket.Labels["le"]}");
            Assert.True(bucket.Value >= previousCount, $"{name}: buckets not cumulative at le={bucket.Labels["le"]}");
            previousBound = bound;
            previousCount = bucket.Value;
        }

        Assert.Equal(previousCount, Assert.Single(samples, s => s.Name == name + "_count").Value);
        Assert.Single(samples, s => s.Name == name + "_sum");
    }

    [GeneratedRegex(@"^# HELP (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?:[^\\\n]|\\\\|\\n)*$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^# TYPE (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<type>counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SampleName();

    [GeneratedRegex(@"\G(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=")]
    private static partial Regex LabelName();
}
