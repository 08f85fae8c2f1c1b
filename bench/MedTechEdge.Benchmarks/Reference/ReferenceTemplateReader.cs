using Newtonsoft.Json.Linq;

namespace MedTechEdge.Benchmarks.Reference;

/// <summary>Reads one <c>{templateType, template}</c> item into a <see cref="ReferenceTemplate"/>.</summary>
internal static class ReferenceTemplateReader
{
    public static ReferenceTemplate Read(JObject item)
    {
        string type = ReferenceDeviceMapping.Member(item, "templateType").Value<string>()!;
        var body = (JObject)ReferenceDeviceMapping.Member(item, "template");
        ReferenceTemplateKind kind = KindOf(type);
        string? language = body.GetValue("defaultExpressionLanguage", StringComparison.OrdinalIgnoreCase)?.Value<string>();
        if (language is not null && !language.Equals("JsonPath", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException("The reference evaluates JSONPath only.");
        }

        return new ReferenceTemplate
        {
            Kind = kind,
            TypeName = ReferenceDeviceMapping.Member(body, "typeName").Value<string>()!,
            TypeMatch = Expression(body, "typeMatchExpression")!,
            DeviceId = kind switch
            {
                ReferenceTemplateKind.IotJsonPathContent => "$.SystemProperties.iothub-connection-device-id",
                ReferenceTemplateKind.IotCentralJsonPathContent => "$.deviceId",
                _ => Expression(body, "deviceIdExpression")!,
            },
            Timestamps = kind switch
            {
                ReferenceTemplateKind.IotJsonPathContent => ["$.Properties.iothub-creation-time-utc", "$.SystemProperties.iothub-enqueuedtime"],
                ReferenceTemplateKind.IotCentralJsonPathContent => ["$.enqueuedTime"],
                _ => [Expression(body, "timestampExpression")!],
            },
            PatientId = Expression(body, "patientIdExpression"),
            EncounterId = Expression(body, "encounterIdExpression"),
            CorrelationId = Expression(body, "correlationIdExpression"),
            Values = Values(body),
        };
    }

    private static ReferenceTemplateKind KindOf(string type) => type.ToUpperInvariant() switch
    {
        "CALCULATEDCONTENT" => ReferenceTemplateKind.CalculatedContent,
        "JSONPATHCONTENT" or "JSONPATHCONTENTTEMPLATE" => ReferenceTemplateKind.JsonPathContent,
        "IOTJSONPATHCONTENT" or "IOTJSONPATHCONTENTTEMPLATE" => ReferenceTemplateKind.IotJsonPathContent,
        "IOTCENTRALJSONPATHCONTENT" => ReferenceTemplateKind.IotCentralJsonPathContent,
        _ => throw new NotSupportedException($"The reference does not implement template type {type}."),
    };

    private static List<ReferenceValue> Values(JObject body)
    {
        var values = new List<ReferenceValue>();
        if (body.GetValue("values", StringComparison.OrdinalIgnoreCase) is JArray array)
        {
            foreach (JToken value in array)
            {
                var entry = (JObject)value;
                values.Add(new ReferenceValue(
                    ReferenceDeviceMapping.Member(entry, "valueName").Value<string>()!,
                    Expression(entry, "valueExpression")!,
                    entry.GetValue("required", StringComparison.OrdinalIgnoreCase)?.Value<bool>() ?? false));
            }
        }

        return values;
    }

    // A plain string, or an expression object whose language is JsonPath (or left to the default).
    private static string? Expression(JObject owner, string name)
    {
        JToken? token = owner.GetValue(name, StringComparison.OrdinalIgnoreCase);
        if (token is null || token.Type == JTokenType.Null)
        {
            return null;
        }

        if (token is JObject expression)
        {
            string? language = expression.GetValue("language", StringComparison.OrdinalIgnoreCase)?.Value<string>();
            if (language is not null && !language.Equals("JsonPath", StringComparison.OrdinalIgnoreCase))
            {
                throw new NotSupportedException("The reference evaluates JSONPath only.");
            }

            return ReferenceDeviceMapping.Member(expression, "value").Value<string>();
        }

        return token.Value<string>();
    }
}
