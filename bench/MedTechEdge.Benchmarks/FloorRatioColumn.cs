using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MedTechEdge.Benchmarks;

/// <summary>
/// A floor row's mean divided by this row's mean, for the same case in the same run: for the parse-only floor that
/// is this row's rate as a fraction of the parse-only rate; for the SHA-256 floor, the share of this row's time that
/// hashing its ids alone takes.
/// </summary>
internal sealed class FloorRatioColumn(string floorMethod, string columnName, string legend) : IColumn
{
    public string Id => nameof(FloorRatioColumn) + "." + floorMethod;

    public string ColumnName => columnName;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => c.Descriptor.WorkloadMethod.Name == floorMethod);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        BenchmarkCase? floor = summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.WorkloadMethod.Name == floorMethod && c.Parameters.ValueInfo == benchmarkCase.Parameters.ValueInfo);
        double? floorMean = floor is null ? null : summary[floor]?.ResultStatistics?.Mean;
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return floorMean is double f && mean is double m && m > 0 ? (f / m).ToString("0.000", CultureInfo.InvariantCulture) : "-";
    }
}
