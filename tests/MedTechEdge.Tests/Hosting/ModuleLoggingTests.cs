using System.Collections;
using MedTechEdge.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Tests.Hosting;

public sealed class ModuleLoggingTests
{
    [Theory]
    [InlineData("verbose", LogLevel.Trace)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("Warning", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("fatal", LogLevel.Critical)]
    public void IoT_Edge_Runtime_Log_Levels_Map_To_Logging_Levels(string value, LogLevel expected) =>
        Assert.Equal(expected, ModuleLogging.ParseRuntimeLogLevel(value));

    [Fact]
    public void RuntimeLogLevel_Sets_The_Default_Level_Unless_The_Module_Sets_Its_Own()
    {
        HostApplicationBuilder plain = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        ModuleLogging.Configure(plain, new Hashtable { [ModuleLogging.RuntimeLogLevelVariable] = "debug" });
        Assert.Equal("Debug", plain.Configuration["Logging:LogLevel:Default"]);

        HostApplicationBuilder own = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = ["--Logging:LogLevel:Default=Warning"] });
        ModuleLogging.Configure(own, new Hashtable { [ModuleLogging.RuntimeLogLevelVariable] = "debug" });
        Assert.Equal("Warning", own.Configuration["Logging:LogLevel:Default"]);

        HostApplicationBuilder unknown = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = ["--Logging:LogLevel:Default=Error"] });
        ModuleLogging.Configure(unknown, new Hashtable { [ModuleLogging.RuntimeLogLevelVariable] = "loud" });
        Assert.Equal("Error", unknown.Configuration["Logging:LogLevel:Default"]);
    }
}
