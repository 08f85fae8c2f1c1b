using MedTechEdge.Ingress;
using MedTechEdge.Observability;
using MedTechEdge.TestPeers;
using Microsoft.Extensions.DependencyInjection;

namespace MedTechEdge.Tests.Hosting;

/// <summary>
/// <c>Mqtt:UnencryptedListenerEnabled=false</c> with a certificate: only the TLS listener binds (docs/configuration.md).
/// The module starts on it, names its address, and is ready, rather than ending on the plain listener it does not have.
/// </summary>
public sealed class TlsOnlyStartupTests
{
    [Fact]
    public async Task A_Tls_Only_Listener_Starts_The_Module_And_Makes_It_Ready()
    {
        using TestCertificates pki = TestCertificates.Create();

        // Before: the start-up log line read the plain listener's address, null here, and the start ended in a
        // NullReferenceException (a stack trace and no exit code of ExitCodes).
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(
            null,
            "--MedTechEdge:Mqtt:UnencryptedListenerEnabled=false",
            "--MedTechEdge:Mqtt:Tls:Port=0",
            "--MedTechEdge:Mqtt:Tls:CertificateFile=" + pki.ServerCertificateFile,
            "--MedTechEdge:Mqtt:Tls:PrivateKeyFile=" + pki.ServerKeyFile,
            "--MedTechEdge:Dashboard:Enabled=false");

        MqttListenerService listener = module.Services.GetRequiredService<MqttListenerService>();
        Assert.Null(listener.LocalEndPoint);
        Assert.NotNull(listener.TlsLocalEndPoint);
        Assert.DoesNotContain(module.Services.GetRequiredService<ModuleReadiness>().Check(), r => r.Contains("MQTT", StringComparison.Ordinal));
    }
}
