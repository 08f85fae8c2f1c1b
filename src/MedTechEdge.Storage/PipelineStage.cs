namespace MedTechEdge.Storage;

/// <summary>The stage that gave up on a message (a dead letter's <c>stage</c>), stored in lower case.</summary>
public enum PipelineStage
{
    /// <summary>Ingest: an ingress refused what it could not store as a device message.</summary>
    Ingest,

    /// <summary>Map: normalize, group, transform, identity.</summary>
    Map,

    /// <summary>Persist: the sink refused the resource.</summary>
    Persist,

    /// <summary>The replay command: an input line that is not a device message.</summary>
    Replay,
}

/// <summary>The stored names of <see cref="PipelineStage"/>.</summary>
public static class PipelineStages
{
    /// <summary>The stored (and shown) name.</summary>
    public static string Name(PipelineStage stage) => stage switch
    {
        PipelineStage.Ingest => "ingest",
        PipelineStage.Map => "map",
        PipelineStage.Persist => "persist",
        PipelineStage.Replay => "replay",
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    /// <summary>The stage stored under <paramref name="name"/>.</summary>
    /// <exception cref="FormatException">Not a stage name.</exception>
    public static PipelineStage Parse(string name) => name switch
    {
        "ingest" => PipelineStage.Ingest,
        "map" => PipelineStage.Map,
        "persist" => PipelineStage.Persist,
        "replay" => PipelineStage.Replay,
        _ => throw new FormatException($"'{name}' is not a pipeline stage."),
    };
}
