using System.Globalization;
using System.Text.Json;

namespace MedTechEdge.Mapping.Templates;

/// <summary>Builds CodeValueFhir templates from a CollectionFhir mapping (medtech-semantics §5.1).</summary>
internal static class FhirTemplateFactory
{
    public static CodeValueFhirTemplate? Create(TemplateContext context, JsonElement item, string pointer)
    {
        if (!MappingDocument.TryReadItem(context, item, pointer, "CollectionFhir", out string type, out JsonElement body, out string here))
        {
            return null;
        }

        if (!TemplateTypeNames.IsCodeValueFhir(type))
        {
            context.Error(pointer + "/templateType", $"No match found for template type {type}.");
            return null;
        }

        context.RejectUnknownMembers(body, here, "CodeValueFhirTemplate", "typeName", "periodInterval", "category", "codes", "value", "components");
        int before = context.Errors.Count;
        string? typeName = TemplateContext.TryGetMember(body, "typeName", out JsonElement tn, out string tnName)
            ? tn.ValueKind == JsonValueKind.String ? tn.GetString() : null
            : null;
        if (!TemplateContext.TryGetMember(body, "typeName", out _, out _))
        {
            context.Error(here, "Required property 'TypeName' not found.");
        }
        else if (string.IsNullOrWhiteSpace(typeName))
        {
            context.Error(here + "/" + tnName, "Empty type name is not allowed.");
        }

        PeriodInterval period = ReadPeriod(context, body, here);
        IReadOnlyList<FhirCode> codes = ReadCodes(context, body, here, "codes", required: true);
        IReadOnlyList<FhirConcept> category = ReadConcepts(context, body, here, "category");
        FhirValueTemplate? value = TemplateContext.TryGetMember(body, "value", out JsonElement v, out string vName) && v.ValueKind != JsonValueKind.Null
            ? ReadValue(context, v, here + "/" + vName)
            : null;
        var components = new List<FhirComponentTemplate>();
        if (TemplateContext.TryGetMember(body, "components", out JsonElement comps, out string compsName) && comps.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement component in comps.EnumerateArray())
            {
                string at = here + "/" + compsName + "/" + i++;
                context.RejectUnknownMembers(component, at, "CodeValueMapping", "codes", "value");
                IReadOnlyList<FhirCode> componentCodes = ReadCodes(context, component, at, "codes", required: true);
                if (TemplateContext.TryGetMember(component, "value", out JsonElement cv, out string cvName))
                {
                    FhirValueTemplate? componentValue = ReadValue(context, cv, at + "/" + cvName);
                    if (componentValue is not null)
                    {
                        components.Add(new FhirComponentTemplate(componentCodes, componentValue));
                    }
                }
                else
                {
                    context.Error(at, "Required property 'Value' not found.");
                }
            }
        }

        if (context.Errors.Count != before)
        {
            return null;
        }

        return new CodeValueFhirTemplate
        {
            TypeName = typeName!,
            PeriodInterval = period,
            Category = category,
            Codes = codes,
            Value = value,
            Components = components,
        };
    }

    private static PeriodInterval ReadPeriod(TemplateContext context, JsonElement body, string pointer)
    {
        if (!TemplateContext.TryGetMember(body, "periodInterval", out JsonElement node, out string name) || node.ValueKind == JsonValueKind.Null)
        {
            return PeriodInterval.Single;
        }

        // Numbers, numeric strings and the names Single/Hourly/Daily/CorrelationId are accepted; any
        // other value is rejected at load instead of failing at transform time (medtech-semantics §4 REC).
        string? text = node.ValueKind switch
        {
            JsonValueKind.Number => node.GetRawText(),
            JsonValueKind.String => node.GetString(),
            _ => null,
        };
        if (text is not null)
        {
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int minutes) && Enum.IsDefined((PeriodInterval)minutes))
            {
                return (PeriodInterval)minutes;
            }

            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) && Enum.TryParse(text, ignoreCase: true, out PeriodInterval named))
            {
                return named;
            }
        }

        context.Error(pointer + "/" + name, $"Unsupported periodInterval '{node}'. Expected 0 (Single), 60 (Hourly), 1440 (Daily) or -1 (CorrelationId).");
        return PeriodInterval.Single;
    }

    private static FhirValueTemplate? ReadValue(TemplateContext context, JsonElement node, string pointer)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            context.Error(pointer, "A value must be an object with a valueType.");
            return null;
        }

        // Unknown members inside a value object are ignored, as the managed service's polymorphic reader does (§7.1).
        if (!TemplateContext.TryGetMember(node, "valueType", out JsonElement vt, out string vtName) || vt.ValueKind != JsonValueKind.String
            || !Enum.TryParse(vt.GetString(), ignoreCase: true, out FhirValueType valueType) || !Enum.IsDefined(valueType))
        {
            context.Error(pointer, $"Unsupported or missing valueType{(vt.ValueKind == JsonValueKind.String ? " '" + vt.GetString() + "'" : string.Empty)}. Expected SampledData, Quantity, String or CodeableConcept.");
            return null;
        }

        _ = vtName;
        string? valueName = OptionalString(node, "valueName");
        decimal? period = null;
        if (TemplateContext.TryGetMember(node, "defaultPeriod", out JsonElement dp, out string dpName) && dp.ValueKind != JsonValueKind.Null)
        {
            if (dp.ValueKind == JsonValueKind.Number && dp.TryGetDecimal(out decimal ms) && ms > 0)
            {
                period = ms;
            }
            else
            {
                context.Error(pointer + "/" + dpName, "defaultPeriod must be a positive number of milliseconds.");
            }
        }

        if (valueType == FhirValueType.SampledData && period is null)
        {
            context.Error(pointer, "A SampledData value needs a defaultPeriod (milliseconds).");
        }

        FhirConcept? concept = null;
        if (valueType == FhirValueType.CodeableConcept)
        {
            concept = new FhirConcept(OptionalString(node, "text"), ReadCodes(context, node, pointer, "codes", required: false));
        }

        return new FhirValueTemplate
        {
            ValueType = valueType,
            ValueName = valueName ?? string.Empty,
            Unit = OptionalString(node, "unit"),
            Code = OptionalString(node, "code"),
            System = OptionalString(node, "system"),
            DefaultPeriod = period,
            Concept = concept,
        };
    }

    private static IReadOnlyList<FhirConcept> ReadConcepts(TemplateContext context, JsonElement body, string pointer, string name)
    {
        var concepts = new List<FhirConcept>();
        if (!TemplateContext.TryGetMember(body, name, out JsonElement array, out string actual) || array.ValueKind != JsonValueKind.Array)
        {
            return concepts;
        }

        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            string at = pointer + "/" + actual + "/" + i++;
            context.RejectUnknownMembers(item, at, "FhirCodeableConcept", "text", "codes");
            concepts.Add(new FhirConcept(OptionalString(item, "text"), ReadCodes(context, item, at, "codes", required: false)));
        }

        return concepts;
    }

    private static IReadOnlyList<FhirCode> ReadCodes(TemplateContext context, JsonElement body, string pointer, string name, bool required)
    {
        var codes = new List<FhirCode>();
        if (!TemplateContext.TryGetMember(body, name, out JsonElement array, out string actual))
        {
            if (required)
            {
                context.Error(pointer, "Required property 'Codes' not found.");
            }

            return codes;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            context.Error(pointer + "/" + actual, "Property 'codes' must be an array.");
            return codes;
        }

        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            string at = pointer + "/" + actual + "/" + i++;
            context.RejectUnknownMembers(item, at, "FhirCode", "code", "system", "display");
            codes.Add(new FhirCode(OptionalString(item, "code"), OptionalString(item, "system"), OptionalString(item, "display")));
        }

        return codes;
    }

    private static string? OptionalString(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && TemplateContext.TryGetMember(obj, name, out JsonElement value, out _) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
