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
        Assert.True(MqttPasswordHash.TryParse(MqttPasswordHash.Create("pw", CredentialsFile.TestIterations), out MqttPasswordHashValue hash, out _));
        using var held = new HeldCheck();
        using var verifier = new MqttPasswordVerifier(workers: 1, queueCapacity: 2, held.Check);

        Assert.True(verifier.TryVerify(hash, Encoding.UTF8.GetBytes("pw"), suspect: false, out Task<bool> running));
        await held.Started.WaitAsync(Peers.Timeout);

        var accepted = new List<Task<bool>> { running };
        int refused = 0;
        for (int i = 0; i < 9; i++)
        {
            if (verifier.TryVerify(hash, Encoding.UTF8.GetBytes("pw"), suspect: false, out Task<bool> check))
            {
                accepted.Add(check);
            }
            else
            {
                refused++;
                Assert.True(check.IsCompletedSuccessfully, "a refused check answers at once");
                Assert.False(await check);
            }
        }

        // The worker holds one; the lane holds two more; the other seven are refused without waiting.
        Assert.Equal(3, accepted.Count);
        Assert.Equal(7, refused);
        held.Release();
        Assert.All(await Task.WhenAll(accepted).WaitAsync(Peers.Timeout), Assert.True);
    }

    [Fact]
    public async Task A_Check_From_A_Suspect_Address_Waits_Behind_Every_Other_Check()
    {
        Assert.True(MqttPasswordHash.TryParse(MqttPasswordHash.Create("pw", CredentialsFile.TestIterations), out MqttPasswordHashValue hash, out _));
        using var held = new HeldCheck();
        using var verifier = new MqttPasswordVerifier(workers: 1, queueCapacity: 8, held.Check);

        Assert.True(verifier.TryVerify(hash, Encoding.UTF8.GetBytes("first"), suspect: false, out Task<bool> first));
        Assert.True(verifier.TryVerify(hash, Encoding.UTF8.GetBytes("guess"), suspect: true, out Task<bool> guess));
        Assert.True(verifier.TryVerify(hash, Encoding.UTF8.GetBytes("new-device"), suspect: false, out Task<bool> newDevice));
        held.Release();

        await Task.WhenAll(first, guess, newDevice).WaitAsync(Peers.Timeout);
        // Whether or not the worker had taken the first before the others arrived, the suspect runs last.
        Assert.Equal(["first", "new-device", "guess"], held.Order);
    }

    /// <summary>A check that records which password it was given and waits until the test lets it go on.</summary>
    private sealed class HeldCheck : IDisposable
    {
        private readonly ManualResetEventSlim _gate = new(false);
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<string> _order = [];

        public Task Started => _started.Task;

        public IReadOnlyList<string> Order
        {
            get
            {
                lock (_order)
                {
                    return [.. _order];
                }
            }
        }

        public bool Check(MqttPasswordHashValue hash, byte[] password)
        {
            lock (_order)
            {
                _order.Add(Encoding.UTF8.GetString(password));
            }

            _started.TrySetResult();
            // Bounded, so a failed assertion cannot leave the verifier's Dispose joining a worker that waits for ever.
            _gate.Wait(Peers.Timeout);
            return hash.Matches(password);
        }

        public void Release() => _gate.Set();

        public void Dispose()
        {
            _gate.Set();
            _gate.Dispose();
        }
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
