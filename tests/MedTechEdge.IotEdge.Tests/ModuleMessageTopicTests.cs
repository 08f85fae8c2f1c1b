using MedTechEdge.IotEdge;

namespace MedTechEdge.IotEdge.Tests;

public sealed class ModuleMessageTopicTests
{
    [Fact]
    public void An_Input_Topic_Gives_The_Input_And_Its_Properties_Under_Their_IoT_Hub_Names()
    {
        const string topic = "devices/gw-1/modules/MedTechEdge/inputs/devicedata/"
            + "%24.cdid=bed%2F7&%24.cmid=sensor&%24.ctime=2026-11-21T10%3A00%3A00.0000000Z&%24.ct=application%2Fjson&%24.ce=utf-8&ward=4%20B&flag";

        Assert.True(ModuleMessageTopic.TryParseInput(topic, "gw-1", "MedTechEdge", out string input, out Dictionary<string, string> system, out Dictionary<string, string> properties));

        Assert.Equal("devicedata", input);
        Assert.Equal("bed/7", system["iothub-connection-device-id"]);
        Assert.Equal("sensor", system["iothub-connection-module-id"]);
        Assert.Equal("2026-11-21T10:00:00.0000000Z", system["iothub-creation-time-utc"]);
        Assert.Equal("application/json", system["content-type"]);
        Assert.Equal("4 B", properties["ward"]);
        Assert.Equal(string.Empty, properties["flag"]);
        Assert.Equal(2, properties.Count);
    }

    [Theory]
    [InlineData("devices/gw-1/modules/Other/inputs/devicedata/")]
    [InlineData("devices/gw-1/modules/MedTechEdge/messages/events/")]
    [InlineData("devices/gw-1/modules/MedTechEdge/inputs/")]
    public void Other_Topics_Are_Not_Inputs_Of_This_Module(string topic)
    {
        Assert.False(ModuleMessageTopic.TryParseInput(topic, "gw-1", "MedTechEdge", out _, out _, out _));
    }

    [Fact]
    public void An_Output_Topic_Names_The_Output_And_Marks_Json_For_Routing()
    {
        string topic = ModuleMessageTopic.Output("gw-1", "MedTechEdge", "observations", new Dictionary<string, string> { ["kind"] = "Observation" });

        Assert.Equal("devices/gw-1/modules/MedTechEdge/messages/events/%24.on=observations&%24.ct=application%2Fjson&%24.ce=utf-8&kind=Observation/", topic);
        Assert.Equal("devices/gw-1/modules/MedTechEdge/inputs/#", ModuleMessageTopic.InputsFilter("gw-1", "MedTechEdge"));
    }
}
