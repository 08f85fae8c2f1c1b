using System.Text.Json;

namespace MedTechEdge.Tests.Dashboard;

/// <summary>
/// The dashboard's dead-letter list: the kind always, the reason only where patient data may be shown, since a reason
/// can quote the message it failed on and that message's patient need never have reached the dashboard's mask.
/// </summary>
public sealed class Dashboard_Dead_Letter_Tests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_Dead_Letters_Reason_Is_Shown_Only_When_Patient_Data_May_Be(bool showPatientIds)
    {
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(null, "--MedTechEdge:Dashboard:ShowPatientIds=" + showPatientIds);
        await module.PublishAsync("bed-5", "{not json, patient-secret-77");
        await Eventually.TrueAsync(() => module.Map.DeadLetteredCount == 1, TimeSpan.FromSeconds(30), "the dead letter");
        using var http = new HttpClient { BaseAddress = new Uri($"http://{module.DashboardEndPoint}/") };

        JsonElement item = await Eventually.GetAsync(async () =>
        {
            using JsonDocument page = JsonDocument.Parse(await http.GetStringAsync("api/deadletters"));
            JsonElement items = page.RootElement.GetProperty("items");
            return items.GetArrayLength() == 0 ? null : (object?)items[0].Clone();
        }, TimeSpan.FromSeconds(30), "the dead letter on the dashboard") is JsonElement found ? found : default;

        Assert.False(string.IsNullOrEmpty(item.GetProperty("kind").GetString()));
        Assert.Equal(showPatientIds ? JsonValueKind.String : JsonValueKind.Null, item.GetProperty("error").ValueKind);
    }
}
