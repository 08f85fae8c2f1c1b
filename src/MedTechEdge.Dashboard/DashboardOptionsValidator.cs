using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace MedTechEdge.Dashboard;

/// <summary>
/// Checks the dashboard's settings before anything starts, and names each bad one by its full configuration path, so a
/// typo in a range stops the module with a line the user can act on rather than a page that flags nothing.
/// </summary>
public static class DashboardOptionsValidator
{
    /// <summary>Every problem found, one line each; empty when the settings are usable.</summary>
    public static IReadOnlyList<string> Validate(DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            problems.Add($"{DashboardOptions.Section}:BindAddress '{options.BindAddress}' is not an IP address.");
        }

        if (options.Port is < 0 or > 65535)
        {
            problems.Add($"{DashboardOptions.Section}:Port {options.Port} is not a TCP port (0 to 65535; 0 lets the system choose).");
        }

        if (options.SilentIntervals < 2)
        {
            // One interval would flag every device whose next message is a moment late.
            problems.Add($"{DashboardOptions.Section}:SilentIntervals {options.SilentIntervals} is below 2: a device would show 'no data' whenever a message is a little late.");
        }

        foreach ((string type, NormalRangeOptions range) in options.NormalRanges)
        {
            string path = $"{DashboardOptions.Section}:NormalRanges:{type}";
            CheckRange(path, range, problems);
            if (range.Low is null && range.High is null && range.Values.Count == 0)
            {
                problems.Add($"{path} sets neither Low, High nor Values.");
            }

            foreach ((string value, NormalRangeOptions valueRange) in range.Values)
            {
                string valuePath = $"{path}:Values:{value}";
                CheckRange(valuePath, valueRange, problems);
                if (valueRange.Values.Count > 0)
                {
                    problems.Add($"{valuePath}:Values is not allowed: a value's range is its Low and High.");
                }

                if (valueRange.Low is null && valueRange.High is null)
                {
                    problems.Add($"{valuePath} sets neither Low nor High.");
                }
            }
        }

        return problems;
    }

    /// <summary>
    /// Every bound under <c>Dashboard:NormalRanges</c> as written, before binding: the configuration binder drops a
    /// dictionary entry whose value it cannot convert without a word, so <c>High=12O</c> would remove the whole range
    /// (and its <c>Low</c>) from the page instead of stopping the start. One line per bound that is not a number.
    /// </summary>
    /// <param name="normalRanges">The <c>MedTechEdge:Dashboard:NormalRanges</c> section.</param>
    public static IReadOnlyList<string> ValidateBoundsText(IConfigurationSection normalRanges)
    {
        ArgumentNullException.ThrowIfNull(normalRanges);
        var problems = new List<string>();
        foreach (IConfigurationSection type in normalRanges.GetChildren())
        {
            CheckBoundsText(type, problems);
            foreach (IConfigurationSection value in type.GetSection("Values").GetChildren())
            {
                CheckBoundsText(value, problems);
            }
        }

        return problems;
    }

    private static void CheckBoundsText(IConfigurationSection range, List<string> problems)
    {
        foreach (IConfigurationSection bound in range.GetChildren())
        {
            bool isBound = string.Equals(bound.Key, "Low", StringComparison.OrdinalIgnoreCase) || string.Equals(bound.Key, "High", StringComparison.OrdinalIgnoreCase);
            // As the binder reads a double: invariant culture, any float syntax; an empty value leaves the bound open.
            if (isBound && !string.IsNullOrEmpty(bound.Value) && !double.TryParse(bound.Value, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _))
            {
                problems.Add($"{bound.Path} '{bound.Value}' is not a number.");
            }
        }
    }

    private static void CheckRange(string path, NormalRangeOptions range, List<string> problems)
    {
        if (range.Low is double low && !double.IsFinite(low))
        {
            problems.Add($"{path}:Low is not a finite number.");
        }

        if (range.High is double high && !double.IsFinite(high))
        {
            problems.Add($"{path}:High is not a finite number.");
        }

        if (range.Low is double l && range.High is double h && double.IsFinite(l) && double.IsFinite(h) && l > h)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:Low ({l}) is above {path}:High ({h})."));
        }
    }
}
