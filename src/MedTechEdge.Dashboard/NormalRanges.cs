namespace MedTechEdge.Dashboard;

/// <summary>
/// The configured normal ranges, looked up by measurement type and value name without regard to case: configuration
/// keys are case-insensitive everywhere else, so <c>HeartRate</c> in an environment variable must still match a
/// mapping's <c>heartrate</c>.
/// </summary>
internal sealed class NormalRanges
{
    private readonly Dictionary<string, NormalRangeOptions> _byType;

    public NormalRanges(DashboardOptions options) =>
        _byType = new Dictionary<string, NormalRangeOptions>(options.NormalRanges, StringComparer.OrdinalIgnoreCase);

    /// <summary>The range for one value of a type: the value's own, else the type's; null when none is configured.</summary>
    public NormalRange? For(string type, string valueName)
    {
        if (!_byType.TryGetValue(type, out NormalRangeOptions? range))
        {
            return null;
        }

        foreach ((string name, NormalRangeOptions own) in range.Values)
        {
            if (string.Equals(name, valueName, StringComparison.OrdinalIgnoreCase))
            {
                return new NormalRange(own.Low, own.High);
            }
        }

        return range.Low is null && range.High is null ? null : new NormalRange(range.Low, range.High);
    }
}

/// <summary>Inclusive bounds of a normal value; either may be open.</summary>
internal readonly record struct NormalRange(double? Low, double? High)
{
    public bool Contains(double value) => (Low is not double low || value >= low) && (High is not double high || value <= high);
}
