using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping;

/// <summary>
/// Checks a device mapping against what the resolution type needs from each measurement (docs/medtech-semantics.md §6):
/// Create needs a patient id, LookupWithEncounter an encounter id, Lookup neither. A template without the expression
/// produces measurements every one of which becomes a dead letter, so each is a warning located at the template.
/// Mapping knows nothing of resolution types; the caller says what is needed.
/// </summary>
public static class MappingIdentityCheck
{
    /// <summary>The warnings, located in the device mapping file.</summary>
    /// <param name="device">The device mapping.</param>
    /// <param name="needsPatientId">True in Create mode.</param>
    /// <param name="needsEncounterId">True in LookupWithEncounter mode.</param>
    /// <param name="mode">The resolution type's name, for the messages.</param>
    public static IReadOnlyList<TemplateError> Check(DeviceMapping device, bool needsPatientId, bool needsEncounterId, string mode)
    {
        ArgumentNullException.ThrowIfNull(device);
        var warnings = new List<TemplateError>();
        foreach (DeviceTemplate template in device.Templates)
        {
            if (needsPatientId && template.PatientId is null)
            {
                warnings.Add(new TemplateError(
                    $"Device type '{template.TypeName}' has no patientIdExpression; resolution type {mode} needs a patient id, so its measurements will go to dead letters (PatientIdentityNotDefined). Lookup takes the patient from the Device.",
                    template.Location.Line, template.Location.Position, IsWarning: true));
            }

            if (needsEncounterId && template.EncounterId is null)
            {
                warnings.Add(new TemplateError(
                    $"Device type '{template.TypeName}' has no encounterIdExpression; resolution type {mode} needs an encounter id, so its measurements will go to dead letters (EncounterIdentityNotDefined).",
                    template.Location.Line, template.Location.Position, IsWarning: true));
            }
        }

        return warnings;
    }
}
