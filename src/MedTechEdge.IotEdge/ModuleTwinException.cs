namespace MedTechEdge.IotEdge;

/// <summary>edgeHub answered a twin request with an error status (≥ 300; 429 means throttled and is worth a retry).</summary>
public sealed class ModuleTwinException : Exception
{
    /// <summary>An error answer.</summary>
    public ModuleTwinException(int status)
        : base($"edgeHub answered the twin request with status {status}.")
    {
        Status = status;
    }

    /// <summary>Without a status.</summary>
    public ModuleTwinException()
        : base("edgeHub refused the twin request.")
    {
    }

    /// <summary>With a message.</summary>
    public ModuleTwinException(string message)
        : base(message)
    {
    }

    /// <summary>With a message and a cause.</summary>
    public ModuleTwinException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The status edgeHub answered.</summary>
    public int Status { get; }
}
