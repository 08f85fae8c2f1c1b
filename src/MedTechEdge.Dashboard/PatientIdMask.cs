using System.Text.RegularExpressions;
using MedTechEdge.Pipeline.Stages;

namespace MedTechEdge.Dashboard;

/// <summary>
/// Hides patient identifiers in free text (dead-letter errors, the sink's reasons): the ids the tap has seen and any
/// FHIR <c>Patient/{id}</c> reference. Mapping errors name expressions, not values, so these are what a server's
/// diagnostics may echo. With <c>ShowPatientIds</c> it leaves text as it is.
/// </summary>
internal sealed partial class PatientIdMask
{
    public const string Mask = "[patient]";

    private readonly List<string>? _ids;

    private PatientIdMask(List<string>? ids) => _ids = ids;

    public static PatientIdMask None { get; } = new(null);

    public static PatientIdMask For(DeviceView[] devices)
    {
        var ids = new List<string>(devices.Length);
        foreach (DeviceView view in devices)
        {
            MeasurementTapDevice device = view.Device;
            if (!string.IsNullOrEmpty(device.PatientId) && !ids.Contains(device.PatientId))
            {
                ids.Add(device.PatientId);
            }
        }

        // Longest first, so an id that contains another is masked whole.
        ids.Sort(static (a, b) => b.Length.CompareTo(a.Length));
        return new PatientIdMask(ids);
    }

    public string? Apply(string? text)
    {
        if (_ids is null || string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (string id in _ids)
        {
            text = text.Replace(id, Mask, StringComparison.Ordinal);
        }

        return PatientReference().Replace(text, "Patient/" + Mask);
    }

    [GeneratedRegex(@"Patient/[A-Za-z0-9\-.]{1,64}", RegexOptions.CultureInvariant)]
    private static partial Regex PatientReference();
}
