using System.Buffers;
using System.Text.Json;

namespace MedTechEdge.Simulation.Tests.TestSupport;

/// <summary>One message a device wrote at a known clock time.</summary>
internal sealed record GeneratedMessage(SimulatedDevice Device, MessageForm Form, DateTimeOffset ClockTime, byte[] Json)
{
    public JsonElement Root => JsonDocument.Parse(Json).RootElement;
}

/// <summary>Drives devices without a transport or timer: every device writes one message per step of a fixed clock.</summary>
internal static class Generated
{
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 17, 0, 0, TimeSpan.Zero);

    public static List<GeneratedMessage> Messages(DeviceSimulationOptions options, int steps)
    {
        SimulatedDevice[] devices = DeviceSimulation.CreateDevices(options);
        var output = new List<GeneratedMessage>(devices.Length * steps);
        var buffer = new ArrayBufferWriter<byte>();
        for (int step = 0; step < steps; step++)
        {
            DateTimeOffset now = Start + (step * options.Interval);
            foreach (SimulatedDevice device in devices)
            {
                buffer.ResetWrittenCount();
                MessageForm form = device.WriteMessage(buffer, now);
                output.Add(new GeneratedMessage(device, form, now, buffer.WrittenSpan.ToArray()));
            }
        }

        return output;
    }

    /// <summary>Well-formed messages of one kind.</summary>
    public static List<GeneratedMessage> OfKind(DeviceKind kind, int steps, int seed = 1) =>
        Messages(new DeviceSimulationOptions { DeviceCount = 1, Kinds = [kind], Seed = seed }, steps);
}
