namespace MedTechEdge.IotEdge;

/// <summary>Settings of <see cref="EdgeModuleClient"/>.</summary>
public sealed class EdgeModuleClientOptions
{
    /// <summary>edgeHub's MQTT port on the gateway.</summary>
    public int Port { get; set; } = 8883;

    /// <summary>TLS to edgeHub; only a test rig turns it off.</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>PEM file of the CA that signs edgeHub's certificate; null fetches the workload API's trust bundle.</summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// Lifetime of each SAS token. The connection is renewed at <see cref="TokenRenewal"/> of it, before edgeHub would
    /// refuse the token, the way the device SDKs renew.
    /// </summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Fraction of <see cref="TokenLifetime"/> after which the connection is renewed with a fresh token.</summary>
    public double TokenRenewal { get; set; } = 0.8;

    /// <summary>The clock of token expiry and renewal, Keep Alive and the reconnect backoff; tests substitute a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How long a twin request waits for edgeHub's answer.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Keep Alive; edgeHub caps it at 10 minutes (protocols.md C.1).</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>Ceiling of the first reconnect delay.</summary>
    public TimeSpan FirstReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest reconnect delay.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);
}
