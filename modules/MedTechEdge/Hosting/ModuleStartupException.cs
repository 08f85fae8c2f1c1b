namespace MedTechEdge.Hosting;

/// <summary>The module's configuration or mappings are unusable; the message says what to fix.</summary>
internal sealed class ModuleStartupException(string message) : Exception(message);
