using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Tests.Protocol;

/// <summary>Topic Names, Topic Filters and matching (MQTT 5.0 §4.7), including the spec's own examples.</summary>
public sealed class Topic_Tests
{
    [Theory]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("#", "anything/at/all", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1/ranking", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)]
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    [InlineData("devices/+/messages/events/#", "devices/dev-1/messages/events/", true)]
    [InlineData("devices/+/messages/events/#", "devices/dev-1/messages/events", true)]
    [InlineData("devices/+/messages/events/#", "devices/dev-1/messages", false)]
    [InlineData("#", "$SYS/broker", false)]
    [InlineData("+/monitor/Clients", "$SYS/monitor/Clients", false)]
    [InlineData("$SYS/#", "$SYS/broker", true)]
    [InlineData("$SYS/monitor/+", "$SYS/monitor/Clients", true)]
    [InlineData("a/b", "a/B", false)]
    public void Matches_As_The_Spec_Examples_Say(string filter, string topic, bool expected)
    {
        Assert.Equal(expected, MqttTopic.Matches(topic, filter));
    }

    [Theory]
    [InlineData("#", true)]
    [InlineData("a/#", true)]
    [InlineData("a/+/b", true)]
    [InlineData("+", true)]
    [InlineData("a#", false)]
    [InlineData("a/#/b", false)]
    [InlineData("a+", false)]
    [InlineData("a/b+/c", false)]
    [InlineData("", false)]
    public void Validates_Topic_Filters(string filter, bool valid)
    {
        Assert.Equal(valid, MqttTopic.IsValidTopicFilter(filter));
    }

    [Theory]
    [InlineData("$share/group/a/+", true, "group", "a/+", true)]
    [InlineData("$share/group/", true, "", "$share/group/", false)]
    [InlineData("$share/gr+oup/a", true, "gr+oup", "a", false)]
    [InlineData("$share//a", true, "", "$share//a", false)]
    [InlineData("a/b", false, "", "a/b", true)]
    public void Parses_Shared_Subscription_Filters(string filter, bool shared, string shareName, string inner, bool valid)
    {
        Assert.Equal(shared, MqttTopic.TryParseShared(filter, out string name, out string innerFilter, out bool isValid));
        Assert.Equal(valid, isValid);
        if (valid)
        {
            Assert.Equal(shareName, name);
            Assert.Equal(inner, innerFilter);
        }
    }

    [Theory]
    [InlineData("devices/dev-1/messages/events/", 1, "dev-1")]
    [InlineData("medtech/monitor-3/telemetry", 1, "monitor-3")]
    [InlineData("devices", 1, null)]
    [InlineData("devices//x", 1, null)]
    public void Reads_Topic_Levels(string topic, int level, string? expected)
    {
        Assert.Equal(expected, MqttTopic.GetLevel(topic, level));
    }
}
