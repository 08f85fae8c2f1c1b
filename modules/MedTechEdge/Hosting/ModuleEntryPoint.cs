using MedTechEdge.IotEdge;
using MedTechEdge.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MedTechEdge.Hosting;

/// <summary>
/// The executable's front door: a tool subcommand (<c>mappings</c>, <c>jsonpath</c>, ...) when the first
/// argument names one, otherwise the module itself.
/// </summary>
internal static class ModuleEntryPoint
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && ToolCommands.IsToolCommand(args[0]))
        {
            return await ToolCommands.RunAsync(args, Console.In, Console.Out, Console.Error).ConfigureAwait(false);
        }

        while (true)
        {
            IHost host;
            try
            {
                host = ModuleHost.Build(args);
            }
            catch (ModuleStartupException ex) when (SetTwinLayerAside(args))
            {
                // The twin's layer was checked before it was applied, but the environment may have changed since
                // (a file on a volume, an environment variable): start on the module's own configuration rather
                // than fail over and over; the twin service reports the refusal.
                await Console.Error.WriteLineAsync("MedTechEdge cannot start with the configuration from the twin, set aside: " + ex.Message).ConfigureAwait(false);
                continue;
            }
            catch (ModuleStartupException ex)
            {
                await Console.Error.WriteLineAsync("MedTechEdge cannot start: " + ex.Message).ConfigureAwait(false);
                return 2;
            }

            // RunAsync disposes the host (and its services) when it returns: take the restart flag first.
            ModuleRestart restart = host.Services.GetRequiredService<ModuleRestart>();
            await host.RunAsync().ConfigureAwait(false);
            if (!restart.Requested)
            {
                return 0;
            }
        }
    }

    /// <summary>True when a twin layer was there and is now set aside.</summary>
    private static bool SetTwinLayerAside(string[] args)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(Array.FindAll(args, a => a != ModuleHost.SimulateSwitch))
            .Build();
        string folder = TwinLayer.FolderFor(configuration["MedTechEdge:Store:Path"] ?? new MedTechEdge.Storage.StoreOptions().Path);
        if (TwinLayer.Load(folder) is null)
        {
            return false;
        }

        TwinLayer.SetAside(folder);
        return true;
    }
}
