using MedTechEdge.IotEdge;
using MedTechEdge.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MedTechEdge.Hosting;

/// <summary>
/// The executable's front door: the command line (<see cref="ModuleCommandLine"/>) runs a tool subcommand
/// (<c>mappings</c>, <c>jsonpath</c>, ...), prints help, or runs the module itself.
/// </summary>
internal static class ModuleEntryPoint
{
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.In, Console.Out, Console.Error);

    /// <summary>The command line with the streams given: tests run the tools and the help in-process.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        new ModuleCommandLine(hostArgs => RunModuleAsync(hostArgs, stderr), new ModuleHostFactory(), stdin).InvokeAsync(args, stdout, stderr);

    /// <summary>
    /// Runs the module until it is stopped, through in-process restarts. A start-up failure is one line on stderr and
    /// an exit code (<see cref="ExitCodes.Configuration"/>, <see cref="ExitCodes.CannotBind"/>), never a stack trace.
    /// </summary>
    private static async Task<int> RunModuleAsync(string[] args, TextWriter stderr)
    {
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
                await stderr.WriteLineAsync("MedTechEdge cannot start with the configuration from the twin, set aside: " + ex.Message).ConfigureAwait(false);
                continue;
            }
            catch (ModuleStartupException ex)
            {
                await stderr.WriteLineAsync("MedTechEdge cannot start: " + ex.Message).ConfigureAwait(false);
                return ex.ExitCode;
            }

            using (host)
            {
                ModuleRestart restart = host.Services.GetRequiredService<ModuleRestart>();
                bool onTwinLayer = host.Services.GetRequiredService<ModuleArguments>().Twin is not null;
                try
                {
                    await host.StartAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (onTwinLayer && ex is not OperationCanceledException && SetTwinLayerAside(args))
                {
                    // Built, but it cannot start (an address that is not on this host, a port it may not bind): the
                    // twin's layer goes aside so the module starts on its own configuration instead of dying over
                    // and over under edgeAgent's restarts. What was started stops; the store keeps everything.
                    await stderr.WriteLineAsync("MedTechEdge cannot start with the configuration from the twin, set aside: " + ex.Message).ConfigureAwait(false);
                    await StopQuietlyAsync(host, stderr).ConfigureAwait(false);
                    continue;
                }
                catch (ModuleStartupException ex)
                {
                    // On the module's own configuration: restarting cannot help until the setting changes. What did
                    // start (the metrics endpoint, the stages) stops in order; the store keeps everything.
                    await stderr.WriteLineAsync("MedTechEdge cannot start: " + ex.Message).ConfigureAwait(false);
                    await StopQuietlyAsync(host, stderr).ConfigureAwait(false);
                    return ex.ExitCode;
                }

                await host.WaitForShutdownAsync().ConfigureAwait(false);
                if (!restart.Requested)
                {
                    return ExitCodes.Success;
                }
            }
        }
    }

    private static async Task StopQuietlyAsync(IHost host, TextWriter stderr)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Half started: whatever did start is stopped as far as it can be; the next host starts regardless.
            await stderr.WriteLineAsync("MedTechEdge: stopping the host that could not start: " + ex.Message).ConfigureAwait(false);
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
