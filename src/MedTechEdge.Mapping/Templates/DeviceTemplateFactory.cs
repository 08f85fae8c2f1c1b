using System.Text.Json;
using MedTechEdge.Mapping.Expressions;

namespace MedTechEdge.Mapping.Templates;

/// <summary>Builds one compiled device template from a <c>{templateType, template}</c> item.</summary>
internal static class DeviceTemplateFactory
{
    private static readonly string[] s_legacyMembers =
    [
        "typeName", "typeMatchExpression", "deviceIdExpression", "timestampExpression", "patientIdExpression",
        "encounterIdExpression", "correlationIdExpression", "values",
    ];

    private static readonly string[] s_calculatedMembers =
    [
        "typeName", "typeMatchExpression", "deviceIdExpression", "timestampExpression", "patientIdExpression",
        "encounterIdExpression", "correlationIdExpression", "values", "defaultExpressionLanguage",
    ];

    public static DeviceTemplate? Create(TemplateContext context, JsonElement item, string pointer)
    {
        if (!MappingDocument.TryReadItem(context, item, pointer, "CollectionContent", out string type, out JsonElement body, out string here))
        {
            return null;
        }

        DeviceTemplateKind? kind = TemplateTypeNames.DeviceTemplateKind(type);
        if (kind is null)
        {
            context.Error(pointer + "/templateType", $"No match found for template type {type}.");
            return null;
        }

        return CreateTemplate(context, body, here, kind.Value);
    }

    private static DeviceTemplate? CreateTemplate(TemplateContext context, JsonElement body, string pointer, DeviceTemplateKind kind)
    {
        int errorsBefore = context.Errors.Count;
        bool calculated = kind == DeviceTemplateKind.CalculatedContent;
        // JsonPathContent and its variants: expressions are plain JSONPath strings, with no
        // defaultExpressionLanguage and no expression objects (medtech-semantics §2.4).
        context.RejectUnknownMembers(body, pointer, calculated ? "CalculatedFunctionContentTemplate" : "JsonPathContentTemplate", calculated ? s_calculatedMembers : s_legacyMembers);
        ExpressionLanguage language = ExpressionLanguage.JsonPath;
        if (calculated && TemplateContext.TryGetMember(body, "defaultExpressionLanguage", out JsonElement lang, out string langName)
            && !ExpressionCompiler.TryParseLanguage(lang, out language))
        {
            context.Error(pointer + "/" + langName, $"Unknown expression language '{lang}'. Expected JsonPath or JmesPath.");
        }

        string? typeName = context.RequiredString(body, pointer, "typeName");
        ITemplateExpression? typeMatch = ExpressionCompiler.Compile(context, body, pointer, "typeMatchExpression", language, required: true, allowObject: calculated);
        ITemplateExpression? deviceId;
        List<ITemplateExpression> timestamps = [];
        switch (kind)
        {
            case DeviceTemplateKind.IotJsonPathContent:
                // Fixed expressions; supplied ones are ignored, not errors (§3.5). Creation time first, then enqueued time.
                deviceId = ExpressionCompiler.Fixed(context, "$.SystemProperties.iothub-connection-device-id");
                timestamps.Add(ExpressionCompiler.Fixed(context, "$.Properties.iothub-creation-time-utc"));
                timestamps.Add(ExpressionCompiler.Fixed(context, "$.SystemProperties.iothub-enqueuedtime"));
                break;
            case DeviceTemplateKind.IotCentralJsonPathContent:
                // The IoT Central export schema (§3.6).
                deviceId = ExpressionCompiler.Fixed(context, "$.deviceId");
                timestamps.Add(ExpressionCompiler.Fixed(context, "$.enqueuedTime"));
                break;
            default:
                deviceId = ExpressionCompiler.Compile(context, body, pointer, "deviceIdExpression", language, required: true, allowObject: calculated);
                ITemplateExpression? timestamp = ExpressionCompiler.Compile(context, body, pointer, "timestampExpression", language, required: true, allowObject: calculated);
                if (timestamp is not null)
                {
                    timestamps.Add(timestamp);
                }

                break;
        }

        ITemplateExpression? patientId = ExpressionCompiler.Compile(context, body, pointer, "patientIdExpression", language, required: false, allowObject: calculated);
        ITemplateExpression? encounterId = ExpressionCompiler.Compile(context, body, pointer, "encounterIdExpression", language, required: false, allowObject: calculated);
        ITemplateExpression? correlationId = ExpressionCompiler.Compile(context, body, pointer, "correlationIdExpression", language, required: false, allowObject: calculated);
        List<ValueTemplate> values = CreateValues(context, body, pointer, language, calculated);
        if (context.Errors.Count != errorsBefore && context.HasErrors)
        {
            return null;
        }

        return new DeviceTemplate
        {
            TypeName = typeName!,
            Location = context.Locate(pointer + "/typeName"),
            RelativeToMatch = !calculated,
            TypeMatch = typeMatch!,
            DeviceId = deviceId!,
            Timestamps = [.. timestamps],
            PatientId = patientId,
            EncounterId = encounterId,
            CorrelationId = correlationId,
            Values = [.. values],
        };
    }


    private static List<ValueTemplate> CreateValues(TemplateContext context, JsonElement body, string pointer, ExpressionLanguage language, bool allowObject)
    {
        var values = new List<ValueTemplate>();
        // A missing values array is treated as empty (medtech-semantics §2.3 REC; the OSS throws a NullReferenceException).
        if (!TemplateContext.TryGetMember(body, "values", out JsonElement array, out string arrayName) || array.ValueKind == JsonValueKind.Null)
        {
            return values;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            context.Error(pointer + "/" + arrayName, "Property 'values' must be an array.");
            return values;
        }

        int i = 0;
        foreach (JsonElement value in array.EnumerateArray())
        {
            string here = pointer + "/" + arrayName + "/" + i++;
            if (value.ValueKind != JsonValueKind.Object)
            {
                context.Error(here, "Each entry of 'values' must be an object.");
                continue;
            }

            context.RejectUnknownMembers(value, here, "CalculatedFunctionValueExpression", "valueName", "valueExpression", "required");
            string? name = context.RequiredString(value, here, "valueName");
            ITemplateExpression? expression = ExpressionCompiler.Compile(context, value, here, "valueExpression", language, required: true, allowObject);
            bool required = context.OptionalBoolean(value, here, "required", defaultValue: false);
            if (name is not null && expression is not null)
            {
                values.Add(new ValueTemplate { ValueName = name, Expression = expression, Required = required, Location = context.Locate(here + "/valueName") });
            }
        }

        return values;
    }
}
