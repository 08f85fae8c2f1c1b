using System.Net;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;

namespace MedTechEdge.Mqtt.Security;

/// <summary>
/// Checks a CONNECT's user name and password against the credentials file at a bounded cost (issue 12, item 3).
/// In order: a remembered success answers at once (<see cref="MqttAuthenticationCache"/>); a backed-off source address
/// is refused without a check (<see cref="MqttAuthenticationBackoff"/>); otherwise PBKDF2 runs on a verifier worker
/// (<see cref="MqttPasswordVerifier"/>, behind every other check when the address failed lately), or the CONNECT is
/// refused as busy when too many already wait. Refusals of a
/// password or of a backed-off address are answered after <see cref="MqttAuthenticationOptions.FailureResponseDelay"/>.
/// </summary>
internal sealed class MqttPasswordAuthenticator : IDisposable
{
    private readonly MqttCredentialStore _store;
    private readonly MqttAuthenticationOptions _options;
    private readonly TimeProvider _time;
    private readonly MqttAuthenticationCache _cache;
    private readonly MqttAuthenticationBackoff _backoff;

    // Created on the first password check: a server without password traffic starts no threads.
    private readonly Lazy<MqttPasswordVerifier> _verifier;

    public MqttPasswordAuthenticator(MqttCredentialStore store, MqttAuthenticationOptions options, TimeProvider time)
    {
        _store = store;
        _options = options;
        _time = time;
        _cache = new MqttAuthenticationCache(options.SuccessCacheSize, options.SuccessCacheLifetime, time);
        _backoff = new MqttAuthenticationBackoff(options.FailuresBeforeBackoff, options.FailureWindow, options.FirstBackoff, options.MaxBackoff, time);
        _verifier = new Lazy<MqttPasswordVerifier>(() => new MqttPasswordVerifier(options.MaxConcurrentVerifications, options.MaxQueuedVerifications));
    }

    public int CredentialCount => _store.Count;

    /// <summary>True when the credentials file has a user named <paramref name="username"/>.</summary>
    public bool HasUser(string username) => _store.TryGet(username, out _);

    /// <summary>
    /// Success with the user's credential; 0x86 Bad User Name or Password; or 0x89 Server busy when the address is backed
    /// off or the verification queue is full (MQTT 5.0 §3.2.2.2: "The Server is busy. Try again later").
    /// </summary>
    public async ValueTask<(MqttConnectReasonCode ReasonCode, MqttCredential? Credential)> VerifyAsync(string username, byte[] password, IPAddress? address, CancellationToken cancellationToken)
    {
        bool known = _store.TryGet(username, out MqttCredential? credential);
        if (known && _cache.Contains(username, password, credential!.Hash))
        {
            return (MqttConnectReasonCode.Success, credential);
        }

        MqttAuthenticationBackoff.Check check = default;
        if (address is not null && !_backoff.TryBeginCheck(address, out check))
        {
            await PauseAsync(cancellationToken).ConfigureAwait(false);
            return (MqttConnectReasonCode.ServerBusy, null);
        }

        bool matches = false;
        bool checkedPassword = false;
        try
        {
            // An unknown user is checked against the decoy, so the answer takes as long as for a known one.
            MqttPasswordHashValue hash = known ? credential!.Hash : _store.Decoy;
            if (!_verifier.Value.TryVerify(hash, password, check.Suspect, out Task<bool> verification))
            {
                return (MqttConnectReasonCode.ServerBusy, null);
            }

            matches = await verification.ConfigureAwait(false) && known;
            checkedPassword = true;
        }
        finally
        {
            // Every reservation ends; only a check that ran and failed counts as a failure of the address.
            if (address is not null)
            {
                _backoff.EndCheck(check, failed: checkedPassword && !matches);
            }
        }

        if (matches)
        {
            _cache.Add(username, password, credential!.Hash);
            return (MqttConnectReasonCode.Success, credential);
        }

        await PauseAsync(cancellationToken).ConfigureAwait(false);
        return (MqttConnectReasonCode.BadUserNameOrPassword, null);
    }

    private Task PauseAsync(CancellationToken cancellationToken) =>
        _options.FailureResponseDelay == TimeSpan.Zero ? Task.CompletedTask : Task.Delay(_options.FailureResponseDelay, _time, cancellationToken);

    public void Dispose()
    {
        if (_verifier.IsValueCreated)
        {
            _verifier.Value.Dispose();
        }
    }
}
