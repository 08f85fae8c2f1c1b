namespace MedTechEdge.Dashboard;

/// <summary>
/// One measurement type's normal range: <see cref="Low"/> and <see cref="High"/> apply to each of its values, unless
/// <see cref="Values"/> gives a value (by its <c>valueName</c>, any case) a range of its own, as blood pressure's
/// systolic and diastolic need.
/// </summary>
public sealed class NormalRangeOptions
{
    /// <summary>The lowest normal value, inclusive; null: no lower bound.</summary>
    public double? Low { get; set; }

    /// <summary>The highest normal value, inclusive; null: no upper bound.</summary>
    public double? High { get; set; }

    /// <summary>Ranges by value name, for types with more than one value.</summary>
    public Dictionary<string, NormalRangeOptions> Values { get; set; } = [];
}
