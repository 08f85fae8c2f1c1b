using System.Net;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Mqtt.Security;

/// <summary>
/// Authentication at CONNECT and per-device authorization of PUBLISH, will and SUBSCRIBE topics, resolved once from
/// <see cref="MqttServerOptions"/> when the server is created (MQTT 5.0 §5.4.1, §5.4.2; 3.1.1 §5.4.1, §5.4.2).
/// </summary>
internal sealed class MqttServerSecurity : IDisposable
{
    private const string WildcardsAndSeparator = "+#/";

    private readonly MqttPasswordAuthenticator? _passwords;
    private readonly int _deviceIdTopicLevel;

    private MqttServerSecurity(MqttPasswordAuthenticator? passwords, bool allowAnonymous, MqttDeviceTopicPolicy topicPolicy, int deviceIdTopicLevel, MqttTlsAcceptor? tls, MqttAuthenticationFailureLog failureLog, MqttAuthenticationFailureLog clientIdLog)
    {
        _passwords = passwords;
        AllowAnonymous = allowAnonymous;
        TopicPolicy = topicPolicy;
        _deviceIdTopicLevel = deviceIdTopicLevel;
        Tls = tls;
        FailureLog = failureLog;
        ClientIdLog = clientIdLog;
    }

    public bool AllowAnonymous { get; }

    public MqttDeviceTopicPolicy TopicPolicy { get; }

    public MqttTlsAcceptor? Tls { get; }

    public int CredentialCount => _passwords?.CredentialCount ?? 0;

    /// <summary>Refused CONNECTs, aggregated per source address; the server flushes it each interval.</summary>
    public MqttAuthenticationFailureLog FailureLog { get; }

    /// <summary>CONNECTs refused for a client id that belongs to another identity, aggregated per source address.</summary>
    public MqttAuthenticationFailureLog ClientIdLog { get; }

    /// <summary>Writes both logs' counts of the interval just over; the server's timer calls it.</summary>
    public void FlushLogs()
    {
        FailureLog.Flush();
        ClientIdLog.Flush();
    }

    /// <summary>
    /// The identity <paramref name="clientId"/> is reserved for, or null. A client id that is a user name in the
    /// credentials file belongs to that user: only a connection authenticated as that identity (by its password, or by
    /// a client certificate of that name) may use it, so that dev-a cannot claim "dev-b" before dev-b does and lock it
    /// out (issue 12). Any other client id is free, as MQTT has it: clients such as mosquitto_pub send a random one
    /// with their credentials. Certificate identities are not reserved unless they are also in the credentials file:
    /// the broker trusts a CA and cannot know which names it has issued (docs/mqtt.md, "Session ownership").
    /// </summary>
    public string? ClientIdReservedFor(string clientId) =>
        _passwords is not null && _passwords.HasUser(clientId) ? clientId : null;

    /// <summary>Reads the credentials file and the TLS certificates. Throws when any is missing or malformed.</summary>
    public static MqttServerSecurity Create(MqttServerOptions options, ILogger? logger = null)
    {
        options.Authentication.Validate();
        MqttCredentialStore? credentials = options.CredentialsFile is { } path ? MqttCredentialStore.Load(path) : null;
        MqttTlsAcceptor? tls = options.Tls is { } tlsOptions ? MqttTlsAcceptor.Create(tlsOptions) : null;
        bool clientCertificates = options.Tls is { ClientCertificateMode: not MqttClientCertificateMode.None };
        bool authenticationConfigured = credentials is not null || clientCertificates;

        // Mosquitto 2.0's rule: without configuration, anonymous clients only on loopback. Configuring credentials or
        // client certificates means the operator wants authentication, so anonymous is then off unless set explicitly.
        bool allowAnonymous = options.AllowAnonymous ?? (IPAddress.IsLoopback(options.BindAddress) && !authenticationConfigured);
        MqttDeviceTopicPolicy policy = options.DeviceTopicPolicy
            ?? (authenticationConfigured ? MqttDeviceTopicPolicy.PublishAndSubscribe : MqttDeviceTopicPolicy.Off);
        MqttPasswordAuthenticator? passwords = credentials is null ? null : new MqttPasswordAuthenticator(credentials, options.Authentication, options.TimeProvider);
        ILogger log = logger ?? NullLogger.Instance;
        TimeSpan interval = options.Authentication.FailureLogInterval;
        var failureLog = new MqttAuthenticationFailureLog(log, interval, options.TimeProvider);
        var clientIdLog = new MqttAuthenticationFailureLog(log, interval, options.TimeProvider, MqttServerLog.ClientIdsRefused);
        return new MqttServerSecurity(passwords, allowAnonymous, policy, options.DeviceIdTopicLevel, tls, failureLog, clientIdLog);
    }

    /// <summary>
    /// Decides CONNECT. Returns Success with the device identity (null for an anonymous client) and the further device
    /// ids its credential lists; 0x86 Bad User Name or Password when given credentials do not verify; 0x87 Not
    /// authorized when no credentials were given and anonymous access is off; 0x89 Server busy when the password
    /// check is throttled (MQTT 5.0 §3.2.2.2; 3.1.1 return codes 0x04 / 0x05 / 0x03 via the converter).
    /// </summary>
    /// <param name="address">The client's address, for the per-address backoff; null when unknown.</param>
    public async ValueTask<MqttAuthenticationResult> AuthenticateAsync(string? username, byte[]? password, MqttTransportAuthentication transport, IPAddress? address, CancellationToken cancellationToken)
    {
        string? identity = null;
        IReadOnlyList<string> deviceIds = [];
        bool authenticated = false;
        if (transport.HasValidClientCertificate)
        {
            authenticated = true;
            identity = transport.CertificateIdentity;
        }

        if (username is not null && _passwords is not null)
        {
            if (password is null)
            {
                return MqttAuthenticationResult.Refused(MqttConnectReasonCode.BadUserNameOrPassword);
            }

            // MQTT 5.0 §3.1.3.5: the password is Binary Data; the hash is over its bytes as sent (UTF-8 for text passwords).
            (MqttConnectReasonCode code, MqttCredential? credential) = await _passwords.VerifyAsync(username, password, address, cancellationToken).ConfigureAwait(false);
            if (code != MqttConnectReasonCode.Success)
            {
                return MqttAuthenticationResult.Refused(code);
            }

            authenticated = true;
            identity ??= username;
            if (string.Equals(identity, username, StringComparison.Ordinal))
            {
                // A certificate identity gets the list only from a credential of the same name: the user name
                // proved by the password is not the identity otherwise, so its list says nothing about it.
                deviceIds = credential!.DeviceIds;
            }
        }
        else if ((username is not null || password is not null) && !authenticated && !AllowAnonymous)
        {
            // Credentials this server has no file to check them against.
            return MqttAuthenticationResult.Refused(MqttConnectReasonCode.BadUserNameOrPassword);
        }

        if (!authenticated && !AllowAnonymous)
        {
            return MqttAuthenticationResult.Refused(MqttConnectReasonCode.NotAuthorized);
        }

        return new MqttAuthenticationResult(MqttConnectReasonCode.Success, identity, deviceIds);
    }

    /// <summary>True when <paramref name="identity"/> may publish to <paramref name="topic"/> (a Topic Name, wildcard-free).</summary>
    public bool MayPublish(string? identity, string topic)
    {
        if (TopicPolicy == MqttDeviceTopicPolicy.Off)
        {
            return true;
        }

        return IsUsableIdentity(identity)
            && string.Equals(MqttTopic.GetLevel(topic, _deviceIdTopicLevel), identity, StringComparison.Ordinal);
    }

    /// <summary>
    /// True when <paramref name="identity"/> may subscribe to <paramref name="filter"/> (the filter inside "$share/{name}/"
    /// for a shared subscription). The device level must be the identity literally: "devices/+/..." or "#" are refused,
    /// because they match other devices' topics. Levels before it may be wildcards; "#" cannot precede it [MQTT-4.7.1-1].
    /// </summary>
    public bool MaySubscribe(string? identity, string filter)
    {
        if (TopicPolicy != MqttDeviceTopicPolicy.PublishAndSubscribe)
        {
            return true;
        }

        return IsUsableIdentity(identity)
            && string.Equals(MqttTopic.GetLevel(filter, _deviceIdTopicLevel), identity, StringComparison.Ordinal);
    }

    // An identity with '/', '+' or '#' could never be one topic level, or would match as a wildcard: it owns no topics.
    private static bool IsUsableIdentity(string? identity) =>
        identity is { Length: > 0 } && identity.AsSpan().IndexOfAny(WildcardsAndSeparator) < 0;

    public void Dispose() => _passwords?.Dispose();
}
