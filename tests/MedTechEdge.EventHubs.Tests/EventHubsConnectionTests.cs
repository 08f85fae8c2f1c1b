using MedTechEdge.EventHubs;

namespace MedTechEdge.EventHubs.Tests;

public sealed class EventHubsConnectionTests
{
    [Fact]
    public void A_Portal_Connection_String_Gives_The_Https_Namespace_The_Hub_And_The_Policy()
    {
        Assert.True(EventHubsConnection.TryParse(
            "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc+/def==;EntityPath=vitals",
            null, out EventHubsConnection? connection, out string? error), error);

        Assert.Equal(new Uri("https://contoso.servicebus.windows.net/"), connection!.Endpoint);
        Assert.Equal("vitals", connection.EventHub);
        Assert.Equal("send", connection.KeyName);
        Assert.Equal("abc+/def==", connection.Key); // the key's base64 padding survives the split at '='
        Assert.Equal(new Uri("https://contoso.servicebus.windows.net/vitals"), connection.ResourceUri);
        Assert.DoesNotContain("abc+/def", connection.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_Namespace_Connection_String_Takes_The_Hub_Given_Beside_It()
    {
        Assert.True(EventHubsConnection.TryParse("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v", "hub2", out EventHubsConnection? connection, out _));
        Assert.Equal("hub2", connection!.EventHub);
    }

    [Theory]
    [InlineData("SharedAccessKeyName=k;SharedAccessKey=v;EntityPath=h", "no Endpoint")]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=v;EntityPath=h", "no SharedAccessKeyName")]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;EntityPath=h", "no SharedAccessKey")]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v", "no EntityPath")]
    [InlineData("Endpoint=ftp://ns/;SharedAccessKeyName=k;SharedAccessKey=v;EntityPath=h", "not an sb://")]
    [InlineData("Endpoint", "without 'name=value'")]
    public void A_Bad_Connection_String_Is_Refused_With_The_Part_Named_And_Never_The_Key(string text, string expected)
    {
        Assert.False(EventHubsConnection.TryParse(text, null, out _, out string? error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedAccessKey=v", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("contoso.servicebus.windows.net")]
    [InlineData(" sb://contoso.servicebus.windows.net/ ")]
    [InlineData("https://contoso.servicebus.windows.net")]
    public void A_Namespace_Host_Name_And_A_Hub_Make_A_Connection_Without_A_Key(string fullyQualifiedNamespace)
    {
        Assert.True(EventHubsConnection.TryCreate(fullyQualifiedNamespace, "vitals", out EventHubsConnection? connection, out string? error), error);

        Assert.Equal(new Uri("https://contoso.servicebus.windows.net/vitals"), connection!.ResourceUri);
        Assert.Null(connection.KeyName);
        Assert.Equal("https://contoso.servicebus.windows.net/vitals", connection.ToString());
    }

    [Theory]
    [InlineData("", "vitals", "No Event Hubs namespace")]
    [InlineData("contoso.servicebus.windows.net", " ", "No event hub name")]
    [InlineData("contoso servicebus", "vitals", "not a host name")]
    [InlineData("ftp://contoso.servicebus.windows.net", "vitals", "not a host name")]
    public void A_Bad_Namespace_Or_A_Missing_Hub_Is_Refused(string fullyQualifiedNamespace, string hub, string expected)
    {
        Assert.False(EventHubsConnection.TryCreate(fullyQualifiedNamespace, hub, out _, out string? error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
