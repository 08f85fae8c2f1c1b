using System.Text;
using MedTechEdge.Mqtt.Security;
using MedTechEdge.Mqtt.Tests.TestSupport;

namespace MedTechEdge.Mqtt.Tests.Security;

/// <summary>PBKDF2 on a bounded set of workers with a bounded queue (issue 12, item 3).</summary>
public sealed class Password_Verifier_Tests
{
    [Fact]
    public async Task Checks_Beyond_The_Workers_And_The_Queue_Are_Refused_At_Once()
    {
        // Slow hashes (about half a second each here), so the first checks still run while the rest arrive.
        Assert.True(MqttPasswordHash.TryParse(MqttPasswordHash.Create("pw", 1_000_000), out MqttPasswordHashValue slow, out _));
        using var verifier = new MqttPasswordVerifier(workers: 1, queueCapacity: 2);
        var accepted = new List<Task<bool>>();
        int refused = 0;

        for (int i = 0; i < 10; i++)
        {
            if (verifier.TryVerify(slow, Encoding.UTF8.GetBytes("pw"), suspect: false, out Task<bool> check))
            {
                accepted.Add(check);
            }
            else
            {
                refused++;
            }
        }

        // One running plus two waiting; a fourth only if the worker took the first before the third arrived.
        Assert.InRange(accepted.Count, 2, 3);
        Assert.Equal(10 - accepted.Count, refused);
        Assert.All(await Task.WhenAll(accepted).WaitAsync(TimeSpan.FromSeconds(60)), Assert.True);
    }

    [Fact]
    public async Task A_Check_From_A_Suspect_Address_Waits_Behind_Every_Other_Check()
    {
        Assert.True(MqttPasswordHash.TryParse(MqttPasswordHash.Create("pw", 1_000_000), out MqttPasswordHashValue slow, out _));
        using var verifier = new MqttPasswordVerifier(workers: 1, queueCapacity: 8);

        Assert.True(verifier.TryVerify(slow, Encoding.UTF8.GetBytes("pw"), suspect: false, out Task<bool> first));
        Assert.True(verifier.TryVerify(slow, Encoding.UTF8.GetBytes("guess"), suspect: true, out Task<bool> guess));
        Assert.True(verifier.TryVerify(slow, Encoding.UTF8.GetBytes("pw"), suspect: false, out Task<bool> newDevice));

        Assert.True(await newDevice.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.True(first.IsCompleted);
        Assert.False(guess.IsCompleted, "the suspect check ran before the device that came after it");
        Assert.False(await guess.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task A_Wrong_Password_Is_False_And_The_Right_One_True()
    {
        Assert.True(MqttPasswordHash.TryParse(MqttPasswordHash.Create("pw", CredentialsFile.TestIterations), out MqttPasswordHashValue hash, out _));
        using var verifier = new MqttPasswordVerifier(workers: 2, queueCapacity: 8);

        Assert.True(verifier.TryVerify(hash, Encoding.UTF8.GetBytes("pw"), suspect: false, out Task<bool> right));
        Assert.True(verifier.TryVerify(hash, Encoding.UTF8.GetBytes("pW"), suspect: true, out Task<bool> wrong));

        Assert.True(await right.WaitAsync(Peers.Timeout));
        Assert.False(await wrong.WaitAsync(Peers.Timeout));
    }
}
