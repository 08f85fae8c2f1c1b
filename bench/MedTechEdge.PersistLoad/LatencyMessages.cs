using System.Globalization;
using System.Text;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// The device messages of <c>latency</c> mode. Message <c>seq</c> of a case goes to device <c>seq % devices</c>, and its
/// heart rate's measurement time is <see cref="Base"/> + <c>seq</c> seconds: every message becomes an Observation of its
/// own (a second of its own, so no two are grouped), and the Observation's <c>effectivePeriod.start</c> names the message
/// it came from. A message may also carry a <c>wave</c> reading with the real time of its scheduled send, for the
/// SampledData template (<see cref="LatencyMappings"/>).
/// </summary>
internal static class LatencyMessages
{
    /// <summary>Second 0 of the point-in-time messages; in the past, so no clock-skew guard refuses them.</summary>
    public static readonly DateTime Base = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Warm-up messages (one per device, before the clock starts) lie before <see cref="Base"/>: negative seconds.</summary>
    public static readonly DateTime WarmUpBase = Base.AddDays(-2);

    public static string DeviceId(string run, int device) => run + "-" + device.ToString("D4", CultureInfo.InvariantCulture);

    public static string Topic(string deviceId) => "devices/" + deviceId + "/messages/events/";

    /// <summary>The Device reference the module writes into an Observation in Create mode (medtech-semantics §8).</summary>
    public static string DeviceReference(string deviceId) => "Device/" + DeterministicId.ForDevice(deviceId);

    /// <summary>The message of sequence number <paramref name="seq"/> (or of the warm-up when <paramref name="warmUp"/>).</summary>
    public static byte[] Body(string deviceId, int seq, bool warmUp, DateTime? waveTime)
    {
        DateTime time = warmUp ? WarmUpBase.AddSeconds(seq) : Base.AddSeconds(seq);
        string wave = waveTime is { } at
            ? string.Create(CultureInfo.InvariantCulture, $",\"wave\":{seq % 50},\"waveTime\":\"{at:yyyy-MM-ddTHH:mm:ss.fffZ}\"")
            : string.Empty;
        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $$"""{"deviceId":"{{deviceId}}","patientId":"patient-{{deviceId}}","measurementTime":"{{time:yyyy-MM-ddTHH:mm:ssZ}}","heartRate":{{60 + (seq % 40)}}{{wave}}}"""));
    }

    /// <summary>The sequence number an Observation's start time names; negative for the warm-up's.</summary>
    public static long Sequence(DateTime start) => (long)Math.Floor((start - Base).TotalSeconds);
}
