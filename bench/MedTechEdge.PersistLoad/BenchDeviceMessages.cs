using System.Globalization;
using System.Text;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// The device messages every path of this tool carries: one heart rate each, from <see cref="Devices"/> devices in
/// turn, one second apart, so each message becomes exactly one Observation with the bundled mappings
/// (modules/MedTechEdge/mappings) and the direct loader's pre-built Observations have the same shape.
/// </summary>
internal static class BenchDeviceMessages
{
    public const int Devices = 50;

    // Well in the past, so no time guard (Pipeline:MaxClockSkew) refuses 100,000 seconds of them.
    public static readonly DateTime Start = new(2026, 11, 21, 0, 0, 0, DateTimeKind.Utc);

    public static int DeviceIndex(int message) => message % Devices;

    public static string DeviceId(string run, int message) => run + "-" + DeviceIndex(message).ToString(CultureInfo.InvariantCulture);

    public static DateTime Time(int message) => Start.AddSeconds(message);

    public static int HeartRate(int message) => 60 + (message % 40);

    /// <summary>The JSON a device sends: MedTech's CalculatedContent templates find it by <c>heartRate</c>.</summary>
    public static byte[] Body(string run, int message)
    {
        string device = DeviceId(run, message);
        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $$"""{"deviceId":"{{device}}","patientId":"patient-{{device}}","measurementTime":"{{Time(message):yyyy-MM-ddTHH:mm:ssZ}}","heartRate":{{HeartRate(message)}}}"""));
    }
}
