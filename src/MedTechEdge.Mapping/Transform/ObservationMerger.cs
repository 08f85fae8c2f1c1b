using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// Merges a group into an Observation that already exists on the server (medtech-semantics §7):
/// categories replaced, Quantity/String/CodeableConcept replaced, SampledData decoded and merged
/// (the new value wins at an equal time), the effective period widened, <c>status</c> set to
/// <c>amended</c>; and nothing at all when the result equals what is there. Runs once per group and
/// flush, not per message, so it works on a mutable JSON tree.
/// </summary>
internal static class ObservationMerger
{
    private static readonly string[] s_valueProperties = ["valueQuantity", "valueSampledData", "valueString", "valueCodeableConcept"];

    /// <summary>
    /// Returns null on success, with <paramref name="merged"/> null when nothing changed; or the error
    /// (a value type that differs from the existing one, an existing Observation that is not one).
    /// </summary>
    /// <param name="amend">Set <c>status</c> to <c>amended</c> (§7.3 step 4); false keeps the existing status, for a copy that was never published.</param>
    public static string? Merge(CodeValueFhirTemplate template, ObservationGroup group, ReadOnlySpan<byte> existingJson, out byte[]? merged, bool amend = true)
    {
        merged = null;
        if (JsonNode.Parse(existingJson) is not JsonObject original || (string?)original["resourceType"] != "Observation")
        {
            return "The existing resource is not an Observation.";
        }

        var copy = (JsonObject)original.DeepClone();
        if (!TryReadPeriod(copy, out DateTime oldStart, out DateTime oldEnd))
        {
            return "The existing Observation has no usable effectivePeriod.";
        }

        DateTime newStart = group.Start < oldStart ? group.Start : oldStart;
        DateTime newEnd = group.End > oldEnd ? group.End : oldEnd;

        copy.Remove("category");
        JsonObject? category = Written(w => ObservationWriter.WriteCategory(w, template));
        if (category?["category"] is JsonNode categories)
        {
            category.Remove("category");
            copy["category"] = categories;
        }

        if (template.Value is not null && group.Values.TryGetValue(template.Value.ValueName, out SortedList<DateTime, ObservationGroup.TimedValue>? values))
        {
            string? error = MergeValue(copy, template.Value, values, oldStart, newStart, newEnd);
            if (error is not null)
            {
                return error;
            }
        }

        foreach (FhirComponentTemplate component in template.Components)
        {
            if (!group.Values.TryGetValue(component.Value.ValueName, out SortedList<DateTime, ObservationGroup.TimedValue>? componentValues))
            {
                continue;
            }

            JsonObject target = FindComponent(copy, component.Value.ValueName) ?? AddComponent(copy, component);
            string? error = MergeValue(target, component.Value, componentValues, oldStart, newStart, newEnd);
            if (error is not null)
            {
                return error;
            }
        }

        copy["effectivePeriod"] = new JsonObject
        {
            ["start"] = ObservationWriter.Instant(newStart),
            ["end"] = ObservationWriter.Instant(newEnd),
        };

        if (JsonNode.DeepEquals(original, copy))
        {
            return null;
        }

        if (amend)
        {
            copy["status"] = "amended";
        }

        merged = JsonNodeBytes.ToUtf8(copy);
        return null;
    }

    private static string? MergeValue(JsonObject target, FhirValueTemplate template, SortedList<DateTime, ObservationGroup.TimedValue> values, DateTime oldStart, DateTime newStart, DateTime newEnd)
    {
        string wanted = template.ValueType switch
        {
            FhirValueType.Quantity => "valueQuantity",
            FhirValueType.SampledData => "valueSampledData",
            FhirValueType.String => "valueString",
            _ => "valueCodeableConcept",
        };
        string? existing = null;
        foreach (string name in s_valueProperties)
        {
            if (target.ContainsKey(name))
            {
                existing = name;
            }
        }

        // A missing existing value while new data arrives is a mismatch too, as in the managed service (§7.3).
        if (existing != wanted)
        {
            return $"Cannot merge a {template.ValueType} value for '{template.ValueName}' into an Observation whose value is {existing ?? "missing"}.";
        }

        if (template.ValueType != FhirValueType.SampledData)
        {
            JsonObject? written = Written(w => ObservationWriter.WriteValue(w, template, values.Values[values.Count - 1].Value, out _));
            target[wanted] = written![wanted]!.DeepClone();
            return null;
        }

        if (target[wanted] is not JsonObject sampled || (int?)sampled["dimensions"] is > 1)
        {
            return $"Cannot merge SampledData for '{template.ValueName}': the existing value has more than one dimension.";
        }

        // Decode from the Observation's current start with the current template period, dropping E (§7.3).
        var merged = new SortedList<DateTime, string>();
        SampledDataCodec.Decode((string?)sampled["data"] ?? string.Empty, oldStart, template.DefaultPeriod!.Value, merged);
        for (int i = 0; i < values.Count; i++)
        {
            if (!SampledDataCodec.IsDecimal(values.Values[i].Value))
            {
                return $"Error encountered processing value: {values.Values[i].Value}. SampledData value '{template.ValueName}' is not a decimal.";
            }

            merged[values.Keys[i]] = values.Values[i].Value;
        }

        sampled["data"] = SampledDataCodec.Encode(newStart, newEnd, template.DefaultPeriod!.Value, merged.Keys, merged.Values);
        return null;
    }

    private static JsonObject? FindComponent(JsonObject observation, string valueName)
    {
        if (observation["component"] is not JsonArray components)
        {
            return null;
        }

        foreach (JsonNode? component in components)
        {
            if (component?["code"]?["coding"] is JsonArray codings)
            {
                foreach (JsonNode? coding in codings)
                {
                    if ((string?)coding?["code"] == valueName && (string?)coding?["system"] == MappingNames.ServiceSystem)
                    {
                        return (JsonObject)component;
                    }
                }
            }
        }

        return null;
    }

    private static JsonObject AddComponent(JsonObject observation, FhirComponentTemplate template)
    {
        if (observation["component"] is not JsonArray components)
        {
            components = [];
            observation["component"] = components;
        }

        JsonObject component = Written(w =>
        {
            w.WritePropertyName("code"u8);
            ObservationWriter.WriteConcept(w, template.Value.ValueName, template.Codes, template.Value.ValueName);
        })!;
        // The value is filled in by the merge; an empty value of the right kind makes the types agree.
        component[template.Value.ValueType switch
        {
            FhirValueType.Quantity => "valueQuantity",
            FhirValueType.SampledData => "valueSampledData",
            FhirValueType.String => "valueString",
            _ => "valueCodeableConcept",
        }] = template.Value.ValueType == FhirValueType.SampledData
            ? new JsonObject { ["origin"] = new JsonObject { ["value"] = 0, ["unit"] = template.Value.Unit }, ["period"] = template.Value.DefaultPeriod, ["dimensions"] = 1, ["data"] = string.Empty }
            : new JsonObject();
        components.Add((JsonNode)component);
        return component;
    }

    private static bool TryReadPeriod(JsonObject observation, out DateTime start, out DateTime end)
    {
        start = end = default;
        return observation["effectivePeriod"] is JsonObject period
            && DateTime.TryParse((string?)period["start"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out start)
            && DateTime.TryParse((string?)period["end"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out end);
    }

    private static JsonObject? Written(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return JsonNode.Parse(buffer.WrittenSpan) as JsonObject;
    }
}
