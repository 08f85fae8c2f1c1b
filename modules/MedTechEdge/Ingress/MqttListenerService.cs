using System.Net;
using MedTechEdge.Configuration;
using MedTechEdge.Hosting;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Tools;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Ingress;

/// <summary>Runs the embedded MQTT broker with the ingest handler for the module's lifetime.</summary>
internal sealed partial class MqttListenerService : IHostedService, IAsyncDisposable
{
    private readonly MqttServer _server;
    private readonly ILogger<MqttListenerService> _logger;

    public MqttListenerService(MedTechEdgeOptions options, MqttIngressHandler handler, ILoggerFactory loggers)
    {
        if (!IPAddress.TryParse(options.Mqtt.BindAddress, out IPAddress? address))
        {
            throw new ModuleStartupException($"MedTechEdge:Mqtt:BindAddress '{options.Mqtt.BindAddress}' is not an IP address.");
        }

        var serverOptions = new MqttServerOptions
        {
            BindAddress = address,
            Port = options.Mqtt.Port,
            AllowAnonymous = options.Mqtt.AllowAnonymous,
            CredentialsFile = string.IsNullOrWhiteSpace(options.Mqtt.CredentialsFile) ? null : options.Mqtt.CredentialsFile,
            DeviceTopicPolicy = options.Mqtt.DeviceTopicPolicy,
            Authentication = options.Mqtt.Authentication,
            UnencryptedListenerEnabled = options.Mqtt.UnencryptedListenerEnabled,
            Tls = string.IsNullOrWhiteSpace(options.Mqtt.Tls?.CertificateFile) ? null : options.Mqtt.Tls,
        };
        if (options.Mqtt.IngestTopicFilters.Count > 0)
        {
            serverOptions.IngestTopicFilters.Clear();
            foreach (string filter in options.Mqtt.IngestTopicFilters)
            {
                serverOptions.IngestTopicFilters.Add(filter);
            }
        }

        try
        {
            // The credentials file and certificates are read here, so a bad one stops the module at start-up.
            _server = new MqttServer(serverOptions, handler, loggers.CreateLogger<MqttServer>());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            throw new ModuleStartupException("The MQTT listener's security settings (MedTechEdge:Mqtt) are unusable: " + ex.Message);
        }

        _logger = loggers.CreateLogger<MqttListenerService>();
    }

    /// <summary>Where the listener accepts connections; known once started (port 0 picks a free one).</summary>
    public IPEndPoint? LocalEndPoint => _server.LocalEndPoint;

    /// <summary>Where the TLS listener accepts connections; null when TLS is off or before the start.</summary>
    public IPEndPoint? TlsLocalEndPoint => _server.TlsLocalEndPoint;

    /// <summary>True once one of the listeners is bound: with <c>UnencryptedListenerEnabled=false</c> only the TLS one is.</summary>
    public bool IsListening => _server.LocalEndPoint is not null || _server.TlsLocalEndPoint is not null;

    /// <summary>The broker's counters.</summary>
    public MqttServerStatistics Statistics => _server.Statistics;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MqttListenerBindException ex)
        {
            // Essential: without its MQTT listener the module cannot take device data, so it stops rather than runs deaf.
            string setting = ex.IsTls ? "MedTechEdge:Mqtt:Tls:Port" : "MedTechEdge:Mqtt:Port";
            throw new ModuleStartupException($"The MQTT listener cannot bind {ex.EndPoint}: {ex.Message}. Is another broker running on that port? Set {setting} (or MedTechEdge:Mqtt:BindAddress).", ExitCodes.CannotBind);
        }

        // With UnencryptedListenerEnabled=false only the TLS listener is bound: name each listener that is.
        if (_server.LocalEndPoint is { } plain)
        {
            LogListening(plain.ToString());
        }

        if (_server.TlsLocalEndPoint is { } tls)
        {
            LogListeningTls(tls.ToString());
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT listener accepting device connections on {EndPoint}.")]
    private partial void LogListening(string endPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT TLS listener accepting device connections on {EndPoint}.")]
    private partial void LogListeningTls(string endPoint);
}
