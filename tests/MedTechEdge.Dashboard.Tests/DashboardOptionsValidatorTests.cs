namespace MedTechEdge.Dashboard.Tests;

/// <summary>The dashboard's settings are checked before the module starts, each problem named by its setting.</summary>
[Trait("Category", "Unit")]
public sealed class DashboardOptionsValidatorTests
{
    private static DashboardOptions WithRange(string type, NormalRangeOptions range) =>
        new() { NormalRanges = new Dictionary<string, NormalRangeOptions> { [type] = range } };

    [Fact]
    public void The_Defaults_Are_Valid_And_Privacy_Preserving()
    {
        var options = new DashboardOptions();
        Assert.Empty(DashboardOptionsValidator.Validate(options));
        Assert.False(options.ShowPatientIds);
        Assert.Empty(options.NormalRanges);
        Assert.Equal(3, options.SilentIntervals);
    }

    [Fact]
    public void A_Low_Above_Its_High_Is_Named_By_Its_Setting()
    {
        string problem = Assert.Single(DashboardOptionsValidator.Validate(WithRange("heartrate", new() { Low = 120, High = 50 })));
        Assert.Equal("MedTechEdge:Dashboard:NormalRanges:heartrate:Low (120) is above MedTechEdge:Dashboard:NormalRanges:heartrate:High (50).", problem);
    }

    [Fact]
    public void A_Value_Range_Is_Checked_And_Named_Too()
    {
        var range = new NormalRangeOptions { Values = { ["systolic"] = new() { Low = 140, High = 90 }, ["diastolic"] = new() } };
        IReadOnlyList<string> problems = DashboardOptionsValidator.Validate(WithRange("bloodpressure", range));
        Assert.Contains(problems, p => p.StartsWith("MedTechEdge:Dashboard:NormalRanges:bloodpressure:Values:systolic:Low (140)", StringComparison.Ordinal));
        Assert.Contains("MedTechEdge:Dashboard:NormalRanges:bloodpressure:Values:diastolic sets neither Low nor High.", problems);
    }

    [Theory]
    [InlineData(double.NaN, "MedTechEdge:Dashboard:NormalRanges:spo2:Low is not a finite number.")]
    [InlineData(double.PositiveInfinity, "MedTechEdge:Dashboard:NormalRanges:spo2:Low is not a finite number.")]
    public void A_Bound_Must_Be_A_Finite_Number(double low, string expected) =>
        Assert.Equal(expected, Assert.Single(DashboardOptionsValidator.Validate(WithRange("spo2", new() { Low = low }))));

    [Fact]
    public void A_Range_With_No_Bound_Is_Refused() =>
        Assert.Equal("MedTechEdge:Dashboard:NormalRanges:spo2 sets neither Low, High nor Values.", Assert.Single(DashboardOptionsValidator.Validate(WithRange("spo2", new()))));

    [Fact]
    public void Fewer_Than_Two_Silent_Intervals_Are_Refused() =>
        Assert.StartsWith("MedTechEdge:Dashboard:SilentIntervals 1 is below 2", Assert.Single(DashboardOptionsValidator.Validate(new DashboardOptions { SilentIntervals = 1 })), StringComparison.Ordinal);

    [Fact]
    public void Ranges_Match_Types_And_Values_In_Any_Case_And_A_Values_Own_Range_Wins()
    {
        var range = new NormalRangeOptions { Low = 10, High = 20, Values = { ["Systolic"] = new() { Low = 90, High = 140 } } };
        var ranges = new NormalRanges(WithRange("BloodPressure", range));

        Assert.Equal(new NormalRange(90, 140), ranges.For("bloodpressure", "systolic"));
        Assert.Equal(new NormalRange(10, 20), ranges.For("bloodpressure", "diastolic"));
        Assert.Null(ranges.For("heartrate", "value"));
        Assert.False(new NormalRange(90, null).Contains(89.9));
        Assert.True(new NormalRange(90, null).Contains(500));
    }
}
