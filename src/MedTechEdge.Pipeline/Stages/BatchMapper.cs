using System.Buffers;
using System.Globalization;
using System.Text.Json;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Pipeline.Identity;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>
/// Maps a batch of device messages into one <see cref="MappedBatch"/>: Normalize, the guards, identity, Group and
/// Transform. Writes nothing and keeps no clock: the stage passes the time in and commits what comes out. One device
/// message maps all or nothing: every measurement is checked before any joins a group.
/// </summary>
internal sealed class BatchMapper
{
    private readonly DeviceMapping _deviceMapping;
    private readonly FhirMapping _fhirMapping;
    private readonly PipelineOptions _options;
    private readonly MeasurementTap? _tap;
    private readonly MeasurementGrouping _grouping;
    private readonly CreateModeIdentity? _created;
    private readonly IdentityCache? _cache;

    private readonly List<Measurement> _measurements = [];
    private readonly List<FhirResource> _emitted = [];
    private readonly List<(string Device, string Patient)> _emittedPairs = [];
    private readonly Dictionary<(string Device, string? Patient, string? Encounter), ResourceReferences> _references = [];
    private readonly Dictionary<(string Device, string Type, DateTime Time), InboxMessage> _sourceOf = [];
    private readonly ArrayBufferWriter<byte> _json = new(256);

    // Counts of the normalizations that only verify a pass-through message's sender: they are not the batch's.
    private readonly MappedBatch _verification = new();

    // Whether the pass had reached the transform when it threw: names the stage of a fault's dead letter.
    private bool _transforming;

    /// <param name="cache">Identities resolved against a server (Lookup modes, Create mode with a server); null: Create mode derives them alone.</param>
    public BatchMapper(DeviceMapping deviceMapping, FhirMapping fhirMapping, PipelineOptions options, IdentityCache? cache, MeasurementTap? tap)
    {
        _deviceMapping = deviceMapping;
        _fhirMapping = fhirMapping;
        _options = options;
        _cache = cache;
        _created = cache is null ? new CreateModeIdentity(options.DefaultDeviceIdentifierSystem) : null;
        _tap = tap;
        _grouping = fhirMapping.CreateGrouping();
    }

    /// <summary>Create mode without a server: the device/patient links this stage made, which the commit keeps in the store.</summary>
    public CreateModeIdentity? CreatedIdentities => _created;

    /// <summary>Maps <paramref name="batch"/> into <paramref name="output"/>, which is emptied first.</summary>
    public void Map(List<InboxMessage> batch, DateTime now, MappedBatch output)
    {
        output.Clear();
        _grouping.Clear();
        _references.Clear();
        _sourceOf.Clear();
        _transforming = false;
        foreach (InboxMessage message in batch)
        {
            output.Measured.Add(MapMessage(message, now, output));
        }

        _transforming = true;
        CreateObservations(now, output);
        if (_cache is not null && !output.IdentityPending)
        {
            // New Patients and Devices go ahead of every Observation of the batch: same device, same lane, earlier.
            List<(FhirResource Resource, (string Device, string? Patient, string? Encounter) Key)> emitted = _cache.Emitted;
            for (int i = emitted.Count - 1; i >= 0; i--)
            {
                (string device, string? patient, string? encounter) = emitted[i].Key;
                output.Records.Insert(0, new MappedRecord { Kind = OutboxKind.Identity, Resource = emitted[i].Resource, DeviceId = device, PatientId = patient, EncounterId = encounter });
            }
        }
    }

    /// <summary>After a pass that threw: the device/patient pairs it met first are forgotten, since their resources are not kept.</summary>
    public void Abandon() => _created?.ForgetPass();

    /// <summary>
    /// Makes <paramref name="output"/> the dead letter of <paramref name="message"/>, whose <see cref="Map"/> threw
    /// <paramref name="fault"/> when it was mapped alone: a fault of this code that the message's content provokes, not
    /// one of the failures the mapping reports. The stage moves past it instead of stopping on it at every start.
    /// </summary>
    public void Failed(InboxMessage message, Exception fault, DateTime now, MappedBatch output)
    {
        Abandon();
        output.Clear();
        _grouping.Clear();
        output.Measured.Add(MappedBatch.DeadLettered);
        DeadLetterKind kind = _transforming ? DeadLetterKind.FhirTransformError : DeadLetterKind.NormalizationError;
        output.DeadLetters.Add(Letter(message, kind, $"Mapping the message failed unexpectedly ({fault.GetType().Name}): {fault.Message}", now));
    }

    /// <summary>One message; returns its measurement count, or <see cref="MappedBatch.DeadLettered"/>, or <see cref="MappedBatch.Unmatched"/>.</summary>
    private int MapMessage(InboxMessage message, DateTime now, MappedBatch output)
    {
        if (_options.Output == MapOutput.DeviceMessages)
        {
            // No mapping: the message goes up as it came in, for the cloud to map; but not if it is no text, nor if its
            // sender names a device it may not speak for (the cloud would take it for that device).
            if (PassThroughRefusal(message) is { } refusal)
            {
                output.DeadLetters.Add(Letter(message, refusal.Kind, refusal.Error, now));
                return MappedBatch.DeadLettered;
            }

            output.Records.Add(new MappedRecord
            {
                Kind = OutboxKind.DeviceMessage,
                Resource = new FhirResource("DeviceMessage", message.Id.ToString(CultureInfo.InvariantCulture), message.Body),
                DeviceId = message.DeviceId ?? string.Empty,
                Source = message,
            });
            return 0;
        }

        if (Normalize(message, output) is { } failure)
        {
            output.DeadLetters.Add(Letter(message, failure.Kind, failure.Error, now));
            return MappedBatch.DeadLettered;
        }

        if (_measurements.Count == 0)
        {
            // No template matched: no error in MedTech (medtech-semantics §2), but never silent: counted, or kept on request.
            output.UnmatchedCount++;
            if (_options.DeadLetterUnmatched)
            {
                output.DeadLetters.Add(Letter(message, DeadLetterKind.UnmatchedMessage, "No template of the device mapping matched the message.", now));
                return MappedBatch.DeadLettered;
            }

            return MappedBatch.Unmatched;
        }

        if (MessageGuards.Check(message, _measurements, now, _options) is { } refused)
        {
            output.DeadLetters.Add(Letter(message, refused.Kind, refused.Error, now));
            return MappedBatch.DeadLettered;
        }

        bool mapped = _options.Output == MapOutput.Measurements
            ? AddMeasurements(message, now, output)
            : AddToGroups(message, now, output);
        if (!mapped)
        {
            return MappedBatch.DeadLettered;
        }

        return _measurements.Count;
    }

    /// <summary>
    /// Why a message may not go up unmapped: its body is no text, or it comes from a bound sender whose device ids
    /// cannot be verified with this module's device mapping (an error, or no template matched) or are not its own.
    /// </summary>
    private (DeadLetterKind Kind, string Error)? PassThroughRefusal(InboxMessage message)
    {
        if (BodyError(message) is { } bad)
        {
            return bad;
        }

        if (message.Binding is null)
        {
            return null;
        }

        if (Normalize(message, _verification) is { } failure)
        {
            return (DeadLetterKind.DeviceIdentityMismatch, "The sender is bound to its device ids, and they cannot be verified: the device mapping failed. " + failure.Error);
        }

        return _measurements.Count == 0
            ? (DeadLetterKind.DeviceIdentityMismatch, "The sender is bound to its device ids, and they cannot be verified: no template of the device mapping matched the message.")
            : MessageGuards.CheckSender(message, _measurements);
    }

    private static (DeadLetterKind Kind, string Error)? BodyError(InboxMessage message)
    {
        if (message.Body.Length == 0)
        {
            return (DeadLetterKind.InvalidDeviceMessage, "Invalid event message: the body is empty (0 bytes).");
        }

        return System.Text.Unicode.Utf8.IsValid(message.Body)
            ? null
            : (DeadLetterKind.InvalidDeviceMessage, "Invalid event message: the body is not valid UTF-8 (RFC 8259 §8.1).");
    }

    /// <summary>Fills the measurement scratch list from the message; the failure when it cannot be read or normalized.</summary>
    private (DeadLetterKind Kind, string Error)? Normalize(InboxMessage message, MappedBatch output)
    {
        _measurements.Clear();
        if (BodyError(message) is { } bad)
        {
            return bad;
        }

        // The mapping's streaming plan answers the simple messages in one reader pass; what it declines (and every
        // message of a mapping without a plan) goes through the envelope and the JSONPath engine, with the same result.
        if (!_deviceMapping.TryNormalizeStreaming(message.Body, message.Properties, message.SystemProperties, message.ReceivedUtc, _measurements, out MappingError? failure))
        {
            if (!DeviceEnvelope.TryCreate(message.Body, message.Properties, message.SystemProperties, out DeviceEnvelope? envelope, out string? error))
            {
                return (DeadLetterKind.InvalidDeviceMessage, error!);
            }

            using (envelope)
            {
                failure = _deviceMapping.Normalize(envelope!, message.ReceivedUtc, _measurements);
            }
        }

        if (failure is not null)
        {
            return (DeadLetterKind.NormalizationError, failure.Message);
        }

        output.Normalized++;
        // Every measurement the device mapping produced, as the service's "Number of Measurements" counts them.
        output.Measurements += _measurements.Count;
        return null;
    }

    /// <summary>Normalize only: one record per measurement, in the normalized schema (medtech-semantics §3).</summary>
    private bool AddMeasurements(InboxMessage message, DateTime now, MappedBatch output)
    {
        string prefix = message.Id.ToString(CultureInfo.InvariantCulture) + "-";
        for (int i = 0; i < _measurements.Count; i++)
        {
            Measurement measurement = _measurements[i];
            _json.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_json))
            {
                MeasurementJson.Write(writer, measurement);
            }

            output.Records.Add(new MappedRecord
            {
                Kind = OutboxKind.Measurement,
                Resource = new FhirResource("Measurement", prefix + i.ToString(CultureInfo.InvariantCulture), _json.WrittenSpan.ToArray()),
                DeviceId = measurement.DeviceId,
                PatientId = measurement.PatientId,
                EncounterId = measurement.EncounterId,
                DeviceTimeUtc = measurement.OccurrenceTimeUtc,
                Source = message,
            });
            _tap?.Record(measurement, now);
        }

        return true;
    }

    /// <summary>Resolves and checks every measurement, then lets all of them join their groups; false (a dead letter) on the first failure.</summary>
    private bool AddToGroups(InboxMessage message, DateTime now, MappedBatch output)
    {
        int start = output.Records.Count;
        _emittedPairs.Clear();
        foreach (Measurement measurement in _measurements)
        {
            DeadLetterKind kind = DeadLetterKind.FhirTransformError;
            string? error;
            ResourceReferences? references;
            if (_created is not null)
            {
                _emitted.Clear();
                references = _created.Resolve(measurement, _emitted, _emittedPairs, out kind, out error);
                foreach (FhirResource resource in _emitted)
                {
                    output.Records.Add(new MappedRecord { Kind = OutboxKind.Identity, Resource = resource, DeviceId = measurement.DeviceId, PatientId = measurement.PatientId, EncounterId = measurement.EncounterId });
                }
            }
            else if (!_cache!.TryGet(measurement, out references, out kind, out error))
            {
                // Not resolved yet: noted, and this batch is mapped again once it is.
                output.IdentityPending = true;
                return true;
            }

            if (error is null && _fhirMapping.Check(measurement) is { } invalid)
            {
                // Every FHIR-side data error (no template, a value not representable, no correlation id) is the
                // service's FHIR transform error class (medtech-semantics §9).
                kind = DeadLetterKind.FhirTransformError;
                error = invalid.Message;
            }

            if (error is not null)
            {
                // The identity resources just emitted go with the rest; they are emitted again next time.
                output.Records.RemoveRange(start, output.Records.Count - start);
                _created?.Forget(_emittedPairs);
                output.DeadLetters.Add(Letter(message, kind, error, now));
                return false;
            }

            _references[(measurement.DeviceId, measurement.PatientId, measurement.EncounterId)] = references!;
        }

        foreach (Measurement measurement in _measurements)
        {
            _grouping.Add(measurement);
            _sourceOf[(measurement.DeviceId, measurement.Type, measurement.OccurrenceTimeUtc)] = message;
            _tap?.Record(measurement, now);
        }

        return true;
    }

    /// <summary>One Observation per group of the batch; a SampledData group goes to its window instead (merged at commit).</summary>
    private void CreateObservations(DateTime now, MappedBatch output)
    {
        foreach (ObservationGroup group in _grouping.Groups)
        {
            output.Groups++;
            ResourceReferences references = _references[(group.DeviceId, group.PatientId, group.EncounterId)];
            if (_fhirMapping.MergesOnWrite(group.Type))
            {
                output.Records.Add(new MappedRecord
                {
                    Kind = OutboxKind.SampledDataWindow,
                    DeviceId = group.DeviceId,
                    PatientId = group.PatientId,
                    EncounterId = group.EncounterId,
                    Group = group,
                    References = references,
                    DeviceTimeUtc = group.End,
                    WindowCloses = _fhirMapping.WindowEnd(group) ?? DateTime.MaxValue,
                });
                continue;
            }

            MappingError? error = _fhirMapping.CreateObservation(group, references, now, out FhirResource? observation);
            // Check() vouched for every value, so creation cannot fail on data.
            System.Diagnostics.Debug.Assert(error is null, error?.Message);
            if (observation is null)
            {
                continue;
            }

            output.Records.Add(new MappedRecord
            {
                Kind = OutboxKind.Resource,
                Resource = observation,
                DeviceId = group.DeviceId,
                PatientId = group.PatientId,
                EncounterId = group.EncounterId,
                DeviceTimeUtc = group.End,
                // A point-in-time group ends at its latest measurement: that measurement's message is the source.
                Source = _sourceOf.GetValueOrDefault((group.DeviceId, group.Type, group.End)),
            });
        }

        _grouping.Clear();
    }

    private static DeadLetter Letter(InboxMessage message, DeadLetterKind kind, string error, DateTime now) =>
        new() { CreatedUtc = now, Stage = PipelineStage.Map, Kind = kind, Error = error, Message = message };
}
