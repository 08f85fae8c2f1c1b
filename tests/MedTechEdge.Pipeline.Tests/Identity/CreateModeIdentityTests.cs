using System.Text.Json;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Pipeline.Identity;

namespace MedTechEdge.Pipeline.Tests.Identity;

/// <summary>Create mode without a server derives the same Device as Create mode with one (medtech-semantics §6.2).</summary>
public sealed class CreateModeIdentityTests
{
    private static Measurement Hr(string device, string patient) => new()
    {
        Type = "hr",
        OccurrenceTimeUtc = new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc),
        DeviceId = device,
        PatientId = patient,
        Properties = { new MeasurementProperty("hr", "70") },
    };

    [Fact]
    public void The_Device_Carries_The_Configured_Identifier_System_In_Its_Id_And_Identifier()
    {
        var identity = new CreateModeIdentity("urn:ward-3");
        var resources = new List<FhirResource>();

        ResourceReferences? references = identity.Resolve(Hr("monitor-7", "patient-7"), resources, [], out _, out string? error);

        Assert.Null(error);
        // The id the server path (CreateIdentityResolver) writes for the same device and system.
        Assert.Equal(DeterministicId.ForDevice("monitor-7", "urn:ward-3"), references!.DeviceId);
        Assert.NotEqual(DeterministicId.ForDevice("monitor-7"), references.DeviceId);
        FhirResource device = Assert.Single(resources, r => r.ResourceType == "Device");
        using JsonDocument json = JsonDocument.Parse(device.Json);
        JsonElement identifier = json.RootElement.GetProperty("identifier")[0];
        Assert.Equal("urn:ward-3", identifier.GetProperty("system").GetString());
        Assert.Equal("monitor-7", identifier.GetProperty("value").GetString());
    }

    [Fact]
    public void Without_A_System_The_Device_Id_Hashes_The_Identifier_Alone()
    {
        var identity = new CreateModeIdentity("  ");
        var resources = new List<FhirResource>();

        ResourceReferences? references = identity.Resolve(Hr("monitor-8", "patient-8"), resources, [], out _, out _);

        Assert.Equal(DeterministicId.ForDevice("monitor-8"), references!.DeviceId);
        FhirResource device = Assert.Single(resources, r => r.ResourceType == "Device");
        using JsonDocument json = JsonDocument.Parse(device.Json);
        Assert.False(json.RootElement.GetProperty("identifier")[0].TryGetProperty("system", out _));
    }
}
