using System.Collections;
using MedTechEdge.IotEdge;

namespace MedTechEdge.IotEdge.Tests;

public sealed class IotEdgeSettingsTests
{
    [Fact]
    public void The_Runtimes_Environment_Gives_The_Module_Identity_And_The_Workload_Socket()
    {
        var environment = new Hashtable
        {
            ["IOTEDGE_WORKLOADURI"] = "unix:///var/run/iotedge/workload.sock",
            ["IOTEDGE_DEVICEID"] = "gateway-1",
            ["IOTEDGE_MODULEID"] = "MedTechEdge",
            ["IOTEDGE_IOTHUBHOSTNAME"] = "contoso.azure-devices.net",
            ["IOTEDGE_GATEWAYHOSTNAME"] = "gateway-1.local",
            ["IOTEDGE_AUTHSCHEME"] = "sasToken",
            ["IOTEDGE_MODULEGENERATIONID"] = "638999",
            ["IOTEDGE_APIVERSION"] = "2022-08-03",
        };

        Assert.True(IotEdgeSettings.TryRead(environment, out IotEdgeSettings? settings, out string? error), error);

        Assert.True(settings!.UsesWorkloadApi);
        Assert.Equal("gateway-1/MedTechEdge", settings.ClientId);
        Assert.Equal("gateway-1.local", settings.GatewayHostName);
        Assert.Equal("/var/run/iotedge/workload.sock", settings.WorkloadUri!.AbsolutePath);
        Assert.Equal("638999", settings.GenerationId);
    }

    [Fact]
    public void An_Incomplete_Environment_Names_Every_Missing_Variable()
    {
        var environment = new Hashtable { ["IOTEDGE_MODULEID"] = "m", ["IOTEDGE_AUTHSCHEME"] = "sasToken" };

        Assert.False(IotEdgeSettings.TryRead(environment, out _, out string? error));
        Assert.Equal("The IoT Edge environment is incomplete; missing: IOTEDGE_WORKLOADURI, IOTEDGE_DEVICEID, IOTEDGE_IOTHUBHOSTNAME, IOTEDGE_MODULEGENERATIONID.", error);
    }

    [Fact]
    public void A_Simulator_Connection_String_Carries_The_Key_Instead_Of_A_Workload_Socket()
    {
        var environment = new Hashtable
        {
            ["EdgeHubConnectionString"] = "HostName=hub.azure-devices.net;GatewayHostName=localhost;DeviceId=d1;ModuleId=m1;SharedAccessKey=a2V5a2V5a2V5=",
        };

        Assert.True(IotEdgeSettings.TryRead(environment, out IotEdgeSettings? settings, out _));
        Assert.False(settings!.UsesWorkloadApi);
        Assert.Equal("a2V5a2V5a2V5=", settings.SharedAccessKey);
        Assert.DoesNotContain("a2V5", settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_IoT_Edge_There_Are_No_Settings_And_No_Error()
    {
        Assert.True(IotEdgeSettings.TryRead(new Hashtable { ["PATH"] = "/usr/bin" }, out IotEdgeSettings? settings, out string? error));
        Assert.Null(settings);
        Assert.Null(error);
    }

    [Fact]
    public void Only_Sas_Authentication_Is_Accepted()
    {
        var environment = new Hashtable
        {
            ["IOTEDGE_WORKLOADURI"] = "unix:///w.sock", ["IOTEDGE_DEVICEID"] = "d", ["IOTEDGE_MODULEID"] = "m",
            ["IOTEDGE_IOTHUBHOSTNAME"] = "h", ["IOTEDGE_AUTHSCHEME"] = "x509", ["IOTEDGE_MODULEGENERATIONID"] = "g",
        };

        Assert.False(IotEdgeSettings.TryRead(environment, out _, out string? error));
        Assert.Contains("only sasToken", error, StringComparison.Ordinal);
    }
}
