using MedTechEdge.Hosting;

namespace MedTechEdge.Tests.Dashboard;

/// <summary>The host checks the dashboard's settings when it composes it: a bad one stops the start, named.</summary>
[Trait("Category", "Unit")]
public sealed class Dashboard_Settings_Tests
{
    [Fact]
    public void The_Module_Does_Not_Start_With_A_Bad_Range_And_Says_Which_Setting()
    {
        string folder = Path.Combine(Path.GetTempPath(), "medtechedge-ranges-" + Guid.NewGuid().ToString("N"));
        ModuleStartupException refused = Assert.Throws<ModuleStartupException>(() => ModuleHost.Build(
        [
            "--MedTechEdge:Store:Path=" + Path.Combine(folder, "store.db"),
            "--MedTechEdge:Dashboard:NormalRanges:HeartRate:Low=130",
            "--MedTechEdge:Dashboard:NormalRanges:HeartRate:High=60",
        ]));
        Assert.Equal("MedTechEdge:Dashboard:NormalRanges:HeartRate:Low (130) is above MedTechEdge:Dashboard:NormalRanges:HeartRate:High (60).", refused.Message);
    }

    [Theory]
    [InlineData("HeartRate:High", "MedTechEdge:Dashboard:NormalRanges:HeartRate:High 'l20' is not a number.")]
    [InlineData("BloodPressure:Values:Systolic:Low", "MedTechEdge:Dashboard:NormalRanges:BloodPressure:Values:Systolic:Low 'l20' is not a number.")]
    public void The_Module_Does_Not_Start_With_A_Bound_That_Is_Not_A_Number(string bound, string expected)
    {
        // The configuration binder dropped the whole range without a word: the page flagged nothing, the start went on.
        string folder = Path.Combine(Path.GetTempPath(), "medtechedge-ranges-" + Guid.NewGuid().ToString("N"));
        ModuleStartupException refused = Assert.Throws<ModuleStartupException>(() => ModuleHost.Build(
        [
            "--MedTechEdge:Store:Path=" + Path.Combine(folder, "store.db"),
            "--MedTechEdge:Dashboard:NormalRanges:HeartRate:Low=50",
            "--MedTechEdge:Dashboard:NormalRanges:BloodPressure:Values:Systolic:High=140",
            "--MedTechEdge:Dashboard:NormalRanges:" + bound + "=l20",
        ]));
        Assert.Equal(expected, refused.Message);
    }

    [Fact]
    public void The_Module_Does_Not_Start_With_Fewer_Than_Two_Silent_Intervals()
    {
        string folder = Path.Combine(Path.GetTempPath(), "medtechedge-silence-" + Guid.NewGuid().ToString("N"));
        ModuleStartupException refused = Assert.Throws<ModuleStartupException>(() => ModuleHost.Build(
        [
            "--MedTechEdge:Store:Path=" + Path.Combine(folder, "store.db"),
            "--MedTechEdge:Dashboard:SilentIntervals=1",
        ]));
        Assert.StartsWith("MedTechEdge:Dashboard:SilentIntervals 1 is below 2", refused.Message, StringComparison.Ordinal);
    }
}
