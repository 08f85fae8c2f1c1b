using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping;

/// <summary>
/// Checks a device mapping against a FHIR mapping, as the managed service's mapping debugger does
/// (medtech-semantics §5.1): a device type with no FHIR template, and a device value the FHIR template
/// never uses. Both are warnings: the mappings still load.
/// </summary>
public static class MappingCrossCheck
{
    /// <summary>The warnings, located in the device mapping file.</summary>
    public static IReadOnlyList<TemplateError> Check(DeviceMapping device, FhirMapping fhir)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(fhir);
        var warnings = new List<TemplateError>();
        foreach (DeviceTemplate template in device.Templates)
        {
            if (!fhir.TryGetTemplate(template.TypeName, out CodeValueFhirTemplate? fhirTemplate))
            {
                warnings.Add(new TemplateError(
                    $"No FHIR template for device type '{template.TypeName}'; its measurements will go to dead letters. Ensure case matches.",
                    template.Location.Line, template.Location.Position, IsWarning: true));
                continue;
            }

            foreach (ValueTemplate value in template.Values)
            {
                if (!Uses(fhirTemplate, value.ValueName))
                {
                    warnings.Add(new TemplateError(
                        $"Value '{value.ValueName}' of device type '{template.TypeName}' is not used by its FHIR template.",
                        value.Location.Line, value.Location.Position, IsWarning: true));
                }
            }
        }

        return warnings;
    }

    private static bool Uses(CodeValueFhirTemplate template, string valueName)
    {
        if (template.Value is not null && string.Equals(template.Value.ValueName, valueName, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (FhirComponentTemplate component in template.Components)
        {
            if (string.Equals(component.Value.ValueName, valueName, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
