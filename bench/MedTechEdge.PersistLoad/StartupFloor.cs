namespace MedTechEdge.PersistLoad;

/// <summary>
/// The runtime's floor for the start-up figures: a program that does nothing but start, written into a folder of its
/// own and published as the module is (framework-dependent, ReadyToRun). With no argument it prints one line and
/// exits (process start to exit); with a URL it answers 200 on <c>/readyz</c> from a slim ASP.NET Core host (process
/// start to the first HTTP answer, the least any Kestrel-based readiness endpoint can cost).
/// </summary>
internal static class StartupFloor
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk.Web">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
            <AssemblyName>StartupFloor</AssemblyName>
            <PublishReadyToRun>true</PublishReadyToRun>
            <TieredPGO>false</TieredPGO>
          </PropertyGroup>
        </Project>
        """;

    private const string Program = """
        if (args.Length == 0)
        {
            Console.WriteLine("started");
            return 0;
        }

        WebApplication app = WebApplication.CreateSlimBuilder().Build();
        app.MapGet("/readyz", () => "ready");
        app.Run(args[0]);
        return 0;
        """;

    /// <summary>Writes the project under <paramref name="folder"/> and publishes it; the DLL to start with <c>dotnet</c>.</summary>
    public static string Publish(string folder)
    {
        string source = Path.Combine(folder, "src");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "StartupFloor.csproj"), Project);
        File.WriteAllText(Path.Combine(source, "Program.cs"), Program);
        return StartupVariant.Floor.Publish(Path.Combine(source, "StartupFloor.csproj"), Path.Combine(folder, "app"), "StartupFloor").Entry;
    }
}
