using System.Diagnostics.CodeAnalysis;
using MedTechEdge.Configuration;
using MedTechEdge.Pipeline.Identity;
using MedTechEdge.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MedTechEdge.Hosting;

/// <summary>The module's host for the tools that run its pipeline (<c>replay</c>): <see cref="ModuleHost.Build"/> with their settings.</summary>
internal sealed class ModuleHostFactory : IModuleHostFactory
{
    public bool TryBuild(IReadOnlyList<string> settings, Action<IServiceCollection> configure, [NotNullWhen(true)] out IHost? host, [NotNullWhen(false)] out string? error)
    {
        try
        {
            host = ModuleHost.Build([.. settings], configure: configure);
            error = null;
            return true;
        }
        catch (ModuleStartupException ex)
        {
            host = null;
            error = ex.Message;
            return false;
        }
    }

    public bool TryReadIdentitySettings(IReadOnlyList<string> settings, out (IdentityResolutionType ResolutionType, string? DefaultDeviceIdentifierSystem) identity, [NotNullWhen(false)] out string? error)
    {
        // Only configuration is built: no host, no store, no listener.
        string? twinFolder = null;
        MedTechEdgeOptions options;
        try
        {
            ModuleHost.CreateBuilder([.. settings], ref twinFolder, out _, out options);
        }
        catch (ModuleStartupException ex)
        {
            identity = default;
            error = ex.Message;
            return false;
        }

        identity = (options.Pipeline.ResolutionType, options.Pipeline.DefaultDeviceIdentifierSystem);
        error = null;
        return true;
    }
}
