using System.Collections;

namespace MedTechEdge.IotEdge;

/// <summary>
/// Who and where the module is, from the environment the IoT Edge runtime gives a module (<c>IOTEDGE_*</c>) or from an
/// <c>EdgeHubConnectionString</c> (the iotedgehubdev simulator's form:
/// <c>HostName=…;GatewayHostName=…;DeviceId=…;ModuleId=…;SharedAccessKey=…</c>).
/// </summary>
public sealed class IotEdgeSettings
{
    /// <summary>The IoT hub's host name.</summary>
    public required string IotHubHostName { get; init; }

    /// <summary>The edge device's host name, where edgeHub listens (8883); null when not under a gateway.</summary>
    public string? GatewayHostName { get; init; }

    /// <summary>The edge device's id.</summary>
    public required string DeviceId { get; init; }

    /// <summary>This module's id.</summary>
    public required string ModuleId { get; init; }

    /// <summary>The workload API (<c>unix:///var/run/iotedge/workload.sock</c>); null with a connection string.</summary>
    public Uri? WorkloadUri { get; init; }

    /// <summary>The module's generation id, part of the workload API's sign path.</summary>
    public string? GenerationId { get; init; }

    /// <summary>The workload API version; 2018-06-28 signs and serves the trust bundle on every runtime since 1.0.</summary>
    public string WorkloadApiVersion { get; init; } = "2018-06-28";

    /// <summary>The module's shared access key (base64), with a connection string only.</summary>
    internal string? SharedAccessKey { get; init; }

    /// <summary>True when tokens are signed by the workload API rather than with a key.</summary>
    public bool UsesWorkloadApi => WorkloadUri is not null;

    /// <summary>
    /// A module SAS token signed with the connection string's key, valid until <paramref name="expiresUtc"/>; null when
    /// the module has no key of its own (the workload API signs instead).
    /// </summary>
    public string? CreateTokenWithKey(DateTimeOffset expiresUtc)
    {
        if (SharedAccessKey is null)
        {
            return null;
        }

        string resource = IotHubSasToken.ModuleResource(IotHubHostName, DeviceId, ModuleId);
        return IotHubSasToken.Token(resource, IotHubSasToken.Sign(SharedAccessKey, IotHubSasToken.StringToSign(resource, expiresUtc)), expiresUtc);
    }

    /// <summary>The MQTT client id a module uses with edgeHub and IoT Hub: <c>{deviceId}/{moduleId}</c>.</summary>
    public string ClientId => DeviceId + "/" + ModuleId;

    /// <summary>
    /// Reads the settings from <paramref name="environment"/> (for example <see cref="Environment.GetEnvironmentVariables()"/>).
    /// False with an error naming what is missing, or null settings when nothing says the module runs under IoT Edge.
    /// </summary>
    public static bool TryRead(IDictionary environment, out IotEdgeSettings? settings, out string? error)
    {
        ArgumentNullException.ThrowIfNull(environment);
        settings = null;
        error = null;
        string? connectionString = Get(environment, "EdgeHubConnectionString");
        if (connectionString is not null)
        {
            return TryParseConnectionString(connectionString, out settings, out error);
        }

        if (Get(environment, "IOTEDGE_MODULEID") is null && Get(environment, "IOTEDGE_WORKLOADURI") is null)
        {
            // Not under IoT Edge: a plain process or container.
            return true;
        }

        var missing = new List<string>();
        string Required(string name)
        {
            string? value = Get(environment, name);
            if (value is null)
            {
                missing.Add(name);
            }

            return value ?? string.Empty;
        }

        string workload = Required("IOTEDGE_WORKLOADURI");
        string device = Required("IOTEDGE_DEVICEID");
        string module = Required("IOTEDGE_MODULEID");
        string hub = Required("IOTEDGE_IOTHUBHOSTNAME");
        string scheme = Required("IOTEDGE_AUTHSCHEME");
        string generation = Required("IOTEDGE_MODULEGENERATIONID");
        if (missing.Count > 0)
        {
            error = "The IoT Edge environment is incomplete; missing: " + string.Join(", ", missing) + ".";
            return false;
        }

        if (!scheme.Equals("sasToken", StringComparison.OrdinalIgnoreCase))
        {
            error = $"IOTEDGE_AUTHSCHEME is '{scheme}'; only sasToken is supported.";
            return false;
        }

        if (!Uri.TryCreate(workload, UriKind.Absolute, out Uri? workloadUri) || workloadUri.Scheme is not ("unix" or "http"))
        {
            error = "IOTEDGE_WORKLOADURI is not a unix:// (or http://) address.";
            return false;
        }

        settings = new IotEdgeSettings
        {
            IotHubHostName = hub,
            GatewayHostName = Get(environment, "IOTEDGE_GATEWAYHOSTNAME"),
            DeviceId = device,
            ModuleId = module,
            WorkloadUri = workloadUri,
            GenerationId = generation,
        };
        return true;
    }

    private static bool TryParseConnectionString(string text, out IotEdgeSettings? settings, out string? error)
    {
        settings = null;
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = "EdgeHubConnectionString has a part without 'name=value'.";
                return false;
            }

            // A key ends in '=' padding: split at the first '='.
            parts[part[..equals]] = part[(equals + 1)..];
        }

        var missing = new List<string>();
        foreach (string name in new[] { "HostName", "DeviceId", "ModuleId", "SharedAccessKey" })
        {
            if (!parts.ContainsKey(name))
            {
                missing.Add(name);
            }
        }

        if (missing.Count > 0)
        {
            error = "EdgeHubConnectionString has no " + string.Join(", ", missing) + ".";
            return false;
        }

        settings = new IotEdgeSettings
        {
            IotHubHostName = parts["HostName"],
            GatewayHostName = parts.GetValueOrDefault("GatewayHostName"),
            DeviceId = parts["DeviceId"],
            ModuleId = parts["ModuleId"],
            SharedAccessKey = parts["SharedAccessKey"],
        };
        error = null;
        return true;
    }

    private static string? Get(IDictionary environment, string name) =>
        environment[name] is string value && value.Length > 0 ? value : null;

    /// <inheritdoc/>
    public override string ToString() => $"{ClientId} on {IotHubHostName}" + (GatewayHostName is null ? string.Empty : $" via {GatewayHostName}");
}
