using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Benchmarks.Cases;

/// <summary>What identity resolution and the clock would supply to the transform.</summary>
internal static class SharedInputs
{
    public static readonly ResourceReferences References = new("7f3b1c9e-patient", "a51d0e44-device");

    public static readonly DateTime IssuedUtc = new(2026, 11, 21, 17, 0, 1, DateTimeKind.Utc);
}
