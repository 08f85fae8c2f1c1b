namespace MedTechEdge.Mapping.Templates;

/// <summary>How measurements are grouped into one Observation (medtech-semantics §4), in minutes.</summary>
public enum PeriodInterval
{
    /// <summary>Grouped by the correlation id: the period spans the group's first to last measurement.</summary>
    CorrelationId = -1,

    /// <summary>One Observation per instant.</summary>
    Single = 0,

    /// <summary>One Observation per UTC hour.</summary>
    Hourly = 60,

    /// <summary>One Observation per UTC day.</summary>
    Daily = 1440,
}
