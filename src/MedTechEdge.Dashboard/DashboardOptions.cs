namespace MedTechEdge.Dashboard;

/// <summary>The read-only web dashboard the module serves (docs/operations.md, "Dashboard"), the <c>Dashboard</c> section.</summary>
public sealed class DashboardOptions
{
    /// <summary>The configuration path of this section, for error messages that name a setting.</summary>
    public const string Section = "MedTechEdge:Dashboard";

    /// <summary>Serve the dashboard.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Loopback by default, as the MQTT listener: the page shows device data, so reaching it from other hosts is a decision.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>HTTP port; 0 lets the OS choose (tests).</summary>
    public int Port { get; set; } = 8080;

    /// <summary>When set, the page and its data answer only requests that carry it (<c>?key=</c> or the <c>X-Access-Key</c> header). A secret.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Patient identifiers reach the page only when this is true; device ids always do.</summary>
    public bool ShowPatientIds { get; set; }

    /// <summary>
    /// A device shows "no data" once it has been silent for this many of its usual intervals (estimated from its
    /// recent samples). Three rides out one late or lost message without crying wolf.
    /// </summary>
    public int SilentIntervals { get; set; } = 3;

    /// <summary>
    /// Normal ranges by measurement type (the device mapping's <c>typeName</c>, any case). Values outside are coloured
    /// and flagged on the page, a display aid only. Empty by default: the module knows no patient's normal.
    /// </summary>
    public Dictionary<string, NormalRangeOptions> NormalRanges { get; set; } = [];
}
