using MedTechEdge.Pipeline.Identity;

namespace MedTechEdge.Tools;

/// <summary>
/// The identity settings the module would run with, read as the module reads its configuration (appsettings.json, the
/// environment, <c>--Section:Key=value</c> settings, the twin's layer), so the debugger's default resolution type is
/// the one the module applies to the same data.
/// </summary>
internal sealed record ModuleResolutionSettings(IdentityResolutionType ResolutionType, string? DefaultDeviceIdentifierSystem)
{
    /// <exception cref="ToolConfigurationException">The module's configuration is unusable; the message names the setting.</exception>
    public static ModuleResolutionSettings Read(IModuleHostFactory hosts, IReadOnlyList<string> settings)
    {
        if (!hosts.TryReadIdentitySettings(settings, out (IdentityResolutionType Type, string? System) identity, out string? error))
        {
            throw new ToolConfigurationException("the module's configuration is unusable: " + error);
        }

        return new ModuleResolutionSettings(identity.Type, identity.System);
    }

    /// <summary>The <c>--resolution-type</c> value, case-insensitive.</summary>
    public static IdentityResolutionType Parse(string text) =>
        Enum.TryParse(text, ignoreCase: true, out IdentityResolutionType type) && Enum.IsDefined(type)
            ? type
            : throw new ToolUsageException($"--resolution-type is Create, Lookup or LookupWithEncounter, not '{text}'.");
}
