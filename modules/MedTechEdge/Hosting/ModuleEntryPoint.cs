using MedTechEdge.Tools;

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

        try
        {
            using Microsoft.Extensions.Hosting.IHost host = ModuleHost.Build(args);
            await Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.RunAsync(host).ConfigureAwait(false);
            return 0;
        }
        catch (ModuleStartupException ex)
        {
            await Console.Error.WriteLineAsync("MedTechEdge cannot start: " + ex.Message).ConfigureAwait(false);
            return 2;
        }
    }
}
