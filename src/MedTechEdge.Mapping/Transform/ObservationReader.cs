using System.Globalization;
using System.Text.Json;
using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// Reads an Observation this module wrote back into a group of values, so it can be merged into the
/// copy a FHIR server already holds (medtech-semantics §7) when only the Observation is at hand.
/// </summary>
internal static class ObservationReader
{
    /// <summary>The group, or null when the JSON is not an Observation of a known template with a usable period.</summary>
    public static ObservationGroup? Read(FhirMapping mapping, ReadOnlySpan<byte> observationJson, out CodeValueFhirTemplate? template)
    {
        template = null;
        using JsonDocument document = JsonDocument.Parse(observationJson.ToArray());
        JsonElement root = document.RootElement;
        if (!root.TryGetProperty("code", out JsonElement code) || !code.TryGetProperty("text", out JsonElement text)
            || !mapping.TryGetTemplate(text.GetString() ?? string.Empty, out template)
            || !root.TryGetProperty("effectivePeriod", out JsonElement period)
            || !TryTime(period, "start", out DateTime start) || !TryTime(period, "end", out DateTime end))
        {
            return null;
        }

        var group = new ObservationGroup(text.GetString()!, start, end, string.Empty);
        if (template.Value is not null)
        {
            ReadValue(root, template.Value, start, group);
        }

        if (root.TryGetProperty("component", out JsonElement components))
        {
            foreach (FhirComponentTemplate component in template.Components)
            {
                foreach (JsonElement element in components.EnumerateArray())
                {
                    if (HasServiceCode(element, component.Value.ValueName))
                    {
                        ReadValue(element, component.Value, start, group);
                    }
                }
            }
        }

        return group;
    }

    private static void ReadValue(JsonElement holder, FhirValueTemplate template, DateTime start, ObservationGroup group)
    {
        switch (template.ValueType)
        {
            case FhirValueType.SampledData when holder.TryGetProperty("valueSampledData", out JsonElement sampled)
                && sampled.TryGetProperty("data", out JsonElement data):
                var values = new SortedList<DateTime, string>();
                SampledDataCodec.Decode(data.GetString() ?? string.Empty, start, template.DefaultPeriod!.Value, values);
                for (int i = 0; i < values.Count; i++)
                {
                    group.Set(template.ValueName, values.Keys[i], values.Values[i]);
                }

                break;
            case FhirValueType.Quantity when holder.TryGetProperty("valueQuantity", out JsonElement quantity) && quantity.TryGetProperty("value", out JsonElement number):
                group.Set(template.ValueName, start, number.GetRawText());
                break;
            case FhirValueType.String when holder.TryGetProperty("valueString", out JsonElement text):
                group.Set(template.ValueName, start, text.GetString() ?? string.Empty);
                break;
        }
    }

    private static bool HasServiceCode(JsonElement component, string valueName)
    {
        if (component.TryGetProperty("code", out JsonElement code) && code.TryGetProperty("coding", out JsonElement codings))
        {
            foreach (JsonElement coding in codings.EnumerateArray())
            {
                if (coding.TryGetProperty("code", out JsonElement c) && c.GetString() == valueName
                    && coding.TryGetProperty("system", out JsonElement s) && s.GetString() == MappingNames.ServiceSystem)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool TryTime(JsonElement period, string name, out DateTime time)
    {
        time = default;
        return period.TryGetProperty(name, out JsonElement value)
            && DateTime.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out time);
    }
}
