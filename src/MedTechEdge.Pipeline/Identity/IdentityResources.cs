using System.Buffers;
using System.Text.Json;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Pipeline.Identity;

/// <summary>The Patient and Device resources Create mode writes (medtech-semantics §6 Create steps 3-4).</summary>
internal static class IdentityResources
{
    /// <summary>A Patient with the deterministic id and the business identifier (no system, as the service writes it).</summary>
    public static FhirResource Patient(string id, string identifier) => new("Patient", id, Write(w =>
    {
        w.WriteString("resourceType"u8, "Patient"u8);
        w.WriteString("id"u8, id);
        WriteIdentifier(w, null, identifier);
    }));

    /// <summary>A Device with the deterministic id, its identifier (with the default system, if any) and its patient.</summary>
    public static FhirResource Device(string id, string identifier, string? system, string patientId) => new("Device", id, Write(w =>
    {
        w.WriteString("resourceType"u8, "Device"u8);
        w.WriteString("id"u8, id);
        WriteIdentifier(w, system, identifier);
        w.WriteStartObject("patient"u8);
        w.WriteString("reference"u8, "Patient/" + patientId);
        w.WriteEndObject();
    }));

    private static void WriteIdentifier(Utf8JsonWriter writer, string? system, string value)
    {
        writer.WriteStartArray("identifier"u8);
        writer.WriteStartObject();
        if (system is not null)
        {
            writer.WriteString("system"u8, system);
        }

        writer.WriteString("value"u8, value);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
