namespace MedTechEdge.Storage;

/// <summary>
/// Why a message became a dead letter. Stored by name (<see cref="DeadLetterKinds.Name"/>): the identity kinds keep the
/// managed MedTech service's exception names, so operators' queries and alerts carry over.
/// </summary>
public enum DeadLetterKind
{
    /// <summary>A name this version does not know (a store written by a later version).</summary>
    Unknown = 0,

    /// <summary>The body is empty, not UTF-8, or not a JSON object; or the message's properties are unreadable.</summary>
    InvalidDeviceMessage,

    /// <summary>The device mapping matched but could not extract a required value.</summary>
    NormalizationError,

    /// <summary>A measurement could not become an Observation (no FHIR template, a value of the wrong type).</summary>
    FhirTransformError,

    /// <summary>A measurement's time is before the configured floor or too far ahead of the gateway clock.</summary>
    TimestampOutOfRange,

    /// <summary>The authenticated sender named a device it may not speak for.</summary>
    DeviceIdentityMismatch,

    /// <summary>No template matched the message (only with <c>Pipeline:DeadLetterUnmatched</c>).</summary>
    UnmatchedMessage,

    /// <summary>Create mode: the device mapping extracted no patient id.</summary>
    PatientIdentityNotDefined,

    /// <summary>LookupWithEncounter: the device mapping extracted no encounter id.</summary>
    EncounterIdentityNotDefined,

    /// <summary>Lookup: no Device with the identifier.</summary>
    DeviceNotFound,

    /// <summary>Lookup: the Device has no Patient, or its Patient does not exist.</summary>
    PatientNotFound,

    /// <summary>LookupWithEncounter: no Encounter with the identifier.</summary>
    EncounterNotFound,

    /// <summary>More than one Device with the identifier.</summary>
    MultipleDeviceFound,

    /// <summary>More than one Patient with the identifier.</summary>
    MultiplePatientFound,

    /// <summary>More than one Encounter with the identifier.</summary>
    MultipleEncounterFound,

    /// <summary>The Device is linked to another patient than the one the message names.</summary>
    PatientDeviceMismatch,

    /// <summary>The server refused an identity search as invalid.</summary>
    FhirSearchRejected,

    /// <summary>The sink refused a resource as invalid; it will never accept the same content.</summary>
    FhirRejected,

    /// <summary>The sink refused a resource because what it references does not exist, and a fresh identity resolution did not help.</summary>
    ReferenceNotFound,

    /// <summary>Writing failed in a way nobody foresaw, again after bounded retries.</summary>
    SinkError,

    /// <summary>A replay input line that is not a device message.</summary>
    InvalidReplayInput,

    /// <summary>An event read from an event hub with a body over the ingress's <c>MaxEventBytes</c>; its body is not kept.</summary>
    EventTooLarge,
}

/// <summary>The stored names of <see cref="DeadLetterKind"/>.</summary>
public static class DeadLetterKinds
{
    private static readonly string[] s_names = Build();

    /// <summary>The stored (and shown) name of <paramref name="kind"/>.</summary>
    public static string Name(DeadLetterKind kind) => (uint)kind < (uint)s_names.Length ? s_names[(int)kind] : nameof(DeadLetterKind.Unknown);

    /// <summary>The kind stored under <paramref name="name"/>; <see cref="DeadLetterKind.Unknown"/> for a name this version does not know.</summary>
    public static DeadLetterKind Parse(string name)
    {
        for (int i = 0; i < s_names.Length; i++)
        {
            if (string.Equals(s_names[i], name, StringComparison.Ordinal))
            {
                return (DeadLetterKind)i;
            }
        }

        return DeadLetterKind.Unknown;
    }

    private static string[] Build()
    {
        DeadLetterKind[] kinds = Enum.GetValues<DeadLetterKind>();
        string[] names = new string[kinds.Length];
        foreach (DeadLetterKind kind in kinds)
        {
            string name = kind.ToString();
            names[(int)kind] = kind switch
            {
                // The managed service's exception names (medtech-semantics §6).
                DeadLetterKind.PatientIdentityNotDefined or DeadLetterKind.EncounterIdentityNotDefined or DeadLetterKind.DeviceNotFound
                    or DeadLetterKind.PatientNotFound or DeadLetterKind.EncounterNotFound or DeadLetterKind.MultipleDeviceFound
                    or DeadLetterKind.MultiplePatientFound or DeadLetterKind.MultipleEncounterFound
                    or DeadLetterKind.PatientDeviceMismatch => name + "Exception",
                _ => name,
            };
        }

        return names;
    }
}
