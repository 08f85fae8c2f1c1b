using System.Text.Json;
using MedTechEdge.Hosting;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Templates;
using MedTechEdge.Pipeline;
using MedTechEdge.Pipeline.Identity;
using MedTechEdge.Storage;
using MedTechEdge.Tools;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.IotEdge;

/// <summary>
/// The module's direct methods, invoked from IoT Hub (<c>az iot hub invoke-module-method</c>). Each answers JSON:
/// 200 with the result, 400 with <c>{"error":…}</c> for a bad payload, 501 for an unknown method.
/// <list type="bullet">
/// <item><c>GetStatus</c>: version, uptime, backlog, counters, edgeHub connection, last error, and the twin configuration's state.</item>
/// <item><c>ValidateMappings</c>: <c>{"device":{…},"fhir":{…}}</c> (or <c>deviceFile</c>/<c>fhirFile</c>) → <c>{"valid":…,"errors":[{place,line,position,message}]}</c>.</item>
/// <item><c>DebugMapping</c>: <c>{"message":{…} or […],"properties":{…},"systemProperties":{…},"device":{…},"fhir":{…} or null,"resolutionType":"Lookup"}</c> → measurements, identities, Observations, errors (as <c>mappings debug</c>); the running mappings and resolution type unless given; <c>"fhir":null</c> for measurements only. The Lookup modes answer with placeholders and the searches: the method makes no FHIR requests.</item>
/// <item><c>Flush</c>: writes open SampledData windows to the outbox now and wakes Persist → <c>{"windowsFlushed":n}</c>.</item>
/// <item><c>RequeueDeadLetters</c>: <c>{"ids":[…]}</c> or <c>{"all":true}</c> → <c>{"requeued":n,"missing":[…]}</c>.</item>
/// </list>
/// </summary>
internal sealed class ModuleMethods(ModuleStatus status, ModuleTwinSync twin, DeviceMapping deviceMapping, FhirMapping fhirMapping, PipelineOptions pipeline, PipelineSignals signals, MedTechStore store, TimeProvider clock)
{
    public async Task<ModuleMethodResponse> InvokeAsync(string method, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        JsonDocument? request = null;
        try
        {
            // IoT Hub sends "null" for a call without payload.
            request = payload.IsEmpty ? null : JsonDocument.Parse(payload);
            JsonElement body = request?.RootElement ?? default;
            return method.ToUpperInvariant() switch
            {
                "GETSTATUS" => Ok(GetStatus),
                "VALIDATEMAPPINGS" => ValidateMappings(body),
                "DEBUGMAPPING" => await DebugMappingAsync(body, cancellationToken).ConfigureAwait(false),
                "FLUSH" => await FlushAsync(cancellationToken).ConfigureAwait(false),
                "REQUEUEDEADLETTERS" => await RequeueDeadLettersAsync(body, cancellationToken).ConfigureAwait(false),
                _ => Answer(501, w => w.WriteString("error", $"Unknown method '{method}'. Methods: GetStatus, ValidateMappings, DebugMapping, Flush, RequeueDeadLetters.")),
            };
        }
        catch (JsonException ex)
        {
            return BadRequest("The payload is not JSON: " + ex.Message);
        }
        finally
        {
            request?.Dispose();
        }
    }

    private void GetStatus(Utf8JsonWriter writer)
    {
        writer.WritePropertyName("status");
        status.Write(writer);
        writer.WritePropertyName("configuration");
        twin.Outcome.Write(writer, null);
    }

    private static ModuleMethodResponse ValidateMappings(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return BadRequest("Send {\"device\":{…},\"fhir\":{…}} (or deviceFile/fhirFile paths).");
        }

        // The same checks a mapping sent through the twin gets.
        using JsonDocument desired = JsonDocument.Parse("{\"mappings\":" + body.GetRawText() + "}");
        bool valid = DesiredConfiguration.TryRead(desired.RootElement, out _, out List<DesiredConfigurationError> errors);
        return Answer(200, w =>
        {
            w.WriteBoolean("valid", valid);
            w.WriteStartArray("errors");
            foreach (DesiredConfigurationError error in errors)
            {
                w.WriteStartObject();
                w.WriteString("place", error.Place);
                w.WriteNumber("line", error.Line);
                w.WriteNumber("position", error.Position);
                w.WriteString("message", error.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private async Task<ModuleMethodResponse> DebugMappingAsync(JsonElement body, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("message", out JsonElement message))
        {
            return BadRequest("Send {\"message\":{…}} with optional properties, systemProperties, device, fhir and resolutionType.");
        }

        DeviceMapping device = deviceMapping;
        FhirMapping? fhir = fhirMapping;
        if (body.TryGetProperty("device", out JsonElement deviceJson) && !DeviceMapping.TryLoad(deviceJson.GetRawText(), out device!, out IReadOnlyList<TemplateError> deviceErrors))
        {
            return BadRequest("device mapping: " + string.Join("; ", deviceErrors));
        }

        if (body.TryGetProperty("fhir", out JsonElement fhirJson))
        {
            // An explicit null: measurements only, as `mappings debug` without --fhir.
            if (fhirJson.ValueKind == JsonValueKind.Null)
            {
                fhir = null;
            }
            else if (!FhirMapping.TryLoad(fhirJson.GetRawText(), out fhir, out IReadOnlyList<TemplateError> fhirErrors))
            {
                return BadRequest("FHIR mapping: " + string.Join("; ", fhirErrors));
            }
        }

        IdentityResolutionType mode = pipeline.ResolutionType;
        if (body.TryGetProperty("resolutionType", out JsonElement modeJson)
            && !(modeJson.ValueKind == JsonValueKind.String && Enum.TryParse(modeJson.GetString(), ignoreCase: true, out mode) && Enum.IsDefined(mode)))
        {
            return BadRequest("resolutionType is \"Create\", \"Lookup\" or \"LookupWithEncounter\".");
        }

        var request = new MappingDebugRequest(device, fhir, MessageBodies(message))
        {
            Properties = body.TryGetProperty("properties", out JsonElement p) && p.ValueKind == JsonValueKind.Object ? p.GetRawText() : "{}",
            SystemProperties = body.TryGetProperty("systemProperties", out JsonElement s) && s.ValueKind == JsonValueKind.Object ? s.GetRawText() : "{}",
            ResolutionType = mode,
            DefaultDeviceIdentifierSystem = pipeline.DefaultDeviceIdentifierSystem,
        };
        MappingDebugResult result = await MappingDebugger.RunAsync(request, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            MappingDebugJson.Write(writer, request, result);
        }

        return new ModuleMethodResponse(200, buffer.ToArray());
    }

    private static List<string> MessageBodies(JsonElement message)
    {
        var bodies = new List<string>();
        if (message.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in message.EnumerateArray())
            {
                bodies.Add(item.GetRawText());
            }
        }
        else
        {
            bodies.Add(message.GetRawText());
        }

        return bodies;
    }

    private async Task<ModuleMethodResponse> FlushAsync(CancellationToken cancellationToken)
    {
        int flushed = await signals.RequestWindowFlushAsync().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        signals.Outbox.Set();
        return Answer(200, w => w.WriteNumber("windowsFlushed", flushed));
    }

    private async Task<ModuleMethodResponse> RequeueDeadLettersAsync(JsonElement body, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return BadRequest("Send {\"ids\":[1,2]} or {\"all\":true}.");
        }

        using SqliteConnection connection = store.OpenConnection();
        List<long> ids;
        if (body.TryGetProperty("all", out JsonElement all) && all.ValueKind == JsonValueKind.True)
        {
            ids = DeadLetterTable.Ids(connection);
        }
        else if (body.TryGetProperty("ids", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
        {
            ids = [];
            foreach (JsonElement id in list.EnumerateArray())
            {
                if (!id.TryGetInt64(out long value))
                {
                    return BadRequest("ids holds numbers (see the dead letters' ids).");
                }

                ids.Add(value);
            }
        }
        else
        {
            return BadRequest("Send {\"ids\":[1,2]} or {\"all\":true}.");
        }

        int requeued = 0;
        var missing = new List<long>();
        foreach (long id in ids)
        {
            // The write lock one letter at a time: ingest's commits (and so the devices' PUBACKs) go on in between.
            await store.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (DeadLetterTable.Requeue(connection, id, clock.GetUtcNow().UtcDateTime))
                {
                    requeued++;
                }
                else
                {
                    missing.Add(id);
                }
            }
            finally
            {
                store.WriteLock.Release();
            }
        }

        // A requeued letter goes back to the inbox or the outbox, by the stage that refused it.
        signals.Inbox.Set();
        signals.Outbox.Set();
        return Answer(200, w =>
        {
            w.WriteNumber("requeued", requeued);
            w.WriteStartArray("missing");
            foreach (long id in missing)
            {
                w.WriteNumberValue(id);
            }

            w.WriteEndArray();
        });
    }

    private static ModuleMethodResponse Ok(Action<Utf8JsonWriter> write) => Answer(200, write);

    private static ModuleMethodResponse BadRequest(string error) => Answer(400, w => w.WriteString("error", error));

    private static ModuleMethodResponse Answer(int status, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return new ModuleMethodResponse(status, buffer.ToArray());
    }
}
