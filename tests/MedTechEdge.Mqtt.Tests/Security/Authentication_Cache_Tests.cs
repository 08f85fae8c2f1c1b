using System.Text;
using MedTechEdge.Mqtt.Security;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Security;

/// <summary>The cache of successful password checks: bounded, expiring, and keyed so a changed password or file misses.</summary>
public sealed class Authentication_Cache_Tests
{
    private readonly TestClock _clock = new();
    private readonly MqttPasswordHashValue _stored = Parse(MqttPasswordHash.Create("pw-1", CredentialsFile.TestIterations));

    [Fact]
    public void A_Remembered_Success_Hits_For_The_Same_User_Password_And_Stored_Hash_Only()
    {
        var cache = new MqttAuthenticationCache(16, TimeSpan.FromMinutes(15), _clock);
        cache.Add("dev-1", Bytes("pw-1"), _stored);

        Assert.True(cache.Contains("dev-1", Bytes("pw-1"), _stored));
        Assert.False(cache.Contains("dev-1", Bytes("pw-2"), _stored));
        Assert.False(cache.Contains("dev-2", Bytes("pw-1"), _stored));

        // The credentials file now holds a new hash for dev-1 (even of the same password): the old success does not count.
        MqttPasswordHashValue rehashed = Parse(MqttPasswordHash.Create("pw-1", CredentialsFile.TestIterations));
        Assert.False(cache.Contains("dev-1", Bytes("pw-1"), rehashed));
    }

    [Fact]
    public void Entries_Expire_After_Their_Lifetime()
    {
        var cache = new MqttAuthenticationCache(16, TimeSpan.FromMinutes(15), _clock);
        cache.Add("dev-1", Bytes("pw-1"), _stored);

        _clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromTicks(1));
        Assert.True(cache.Contains("dev-1", Bytes("pw-1"), _stored));
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.False(cache.Contains("dev-1", Bytes("pw-1"), _stored));
    }

    [Fact]
    public void The_Cache_Holds_At_Most_Its_Capacity_And_Evicts_The_Entry_That_Expires_Soonest()
    {
        var cache = new MqttAuthenticationCache(3, TimeSpan.FromMinutes(15), _clock);
        for (int i = 0; i < 3; i++)
        {
            cache.Add("dev-" + i, Bytes("pw-1"), _stored);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        cache.Add("dev-3", Bytes("pw-1"), _stored);

        Assert.Equal(3, cache.Count);
        Assert.False(cache.Contains("dev-0", Bytes("pw-1"), _stored));
        Assert.True(cache.Contains("dev-3", Bytes("pw-1"), _stored));
    }

    [Fact]
    public void Capacity_Zero_Remembers_Nothing()
    {
        var cache = new MqttAuthenticationCache(0, TimeSpan.FromMinutes(15), _clock);
        cache.Add("dev-1", Bytes("pw-1"), _stored);

        Assert.False(cache.Contains("dev-1", Bytes("pw-1"), _stored));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static MqttPasswordHashValue Parse(string encoded)
    {
        Assert.True(MqttPasswordHash.TryParse(encoded, out MqttPasswordHashValue value, out string? error), error);
        return value;
    }
}
