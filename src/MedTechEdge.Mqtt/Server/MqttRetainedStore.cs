using System.Collections.Concurrent;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Server;

/// <summary>Retained messages by topic (MQTT 5.0 §3.3.1.3). In memory only: they do not survive a restart.</summary>
internal sealed class MqttRetainedStore
{
    private readonly ConcurrentDictionary<string, MqttStoredMessage> _messages = new(StringComparer.Ordinal);

    public int Count => _messages.Count;

    /// <summary>Stores the message, or removes the topic's retained message when the payload is empty [MQTT-3.3.1-6] [MQTT-3.3.1-7].</summary>
    public void Update(MqttStoredMessage message)
    {
        if (message.Payload.Length == 0)
        {
            _messages.TryRemove(message.Topic, out _);
        }
        else
        {
            _messages[message.Topic] = message;
        }
    }

    public List<MqttStoredMessage> Match(string filter, long nowTicks)
    {
        var result = new List<MqttStoredMessage>();
        foreach (KeyValuePair<string, MqttStoredMessage> pair in _messages)
        {
            if (pair.Value.IsExpired(nowTicks))
            {
                _messages.TryRemove(pair);
                continue;
            }

            if (MqttTopic.Matches(pair.Key, filter))
            {
                result.Add(pair.Value);
            }
        }

        return result;
    }
}
