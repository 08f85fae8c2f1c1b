using System.Diagnostics.CodeAnalysis;
using MedTechEdge.Pipeline.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MedTechEdge.Tools;

/// <summary>
/// Builds the module's host for a tool that runs the pipeline itself (<c>replay</c>). The host project implements it,
/// so this library knows the libraries the host is made of but not the host.
/// </summary>
public interface IModuleHostFactory
{
    /// <summary>Builds, without starting, the module's host from its configuration and <paramref name="settings"/>.</summary>
    /// <param name="settings">Command-line settings, <c>--Section:Key=value</c>; later ones win.</param>
    /// <param name="configure">Last changes to the services.</param>
    /// <param name="host">The host, when it could be built.</param>
    /// <param name="error">Why not: the unusable setting or mapping, in one readable message.</param>
    /// <returns>False when the configuration or the mappings are unusable; other failures throw.</returns>
    bool TryBuild(IReadOnlyList<string> settings, Action<IServiceCollection> configure, [NotNullWhen(true)] out IHost? host, [NotNullWhen(false)] out string? error);

    /// <summary>
    /// The identity settings the module would run with under <paramref name="settings"/>, read as the module reads its
    /// configuration (appsettings.json, the environment, the settings, the twin's layer); no host is built.
    /// </summary>
    /// <param name="settings">Command-line settings, <c>--Section:Key=value</c>; later ones win.</param>
    /// <param name="identity">The resolution type and the Device identifier system, when the configuration could be read.</param>
    /// <param name="error">Why not: the setting whose value cannot be used, in one readable message.</param>
    /// <returns>False when the configuration is unusable (a value that does not convert); other failures throw.</returns>
    bool TryReadIdentitySettings(IReadOnlyList<string> settings, out (IdentityResolutionType ResolutionType, string? DefaultDeviceIdentifierSystem) identity, [NotNullWhen(false)] out string? error);
}
