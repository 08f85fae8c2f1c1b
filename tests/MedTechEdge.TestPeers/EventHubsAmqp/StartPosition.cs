using System.Globalization;
using System.Text.RegularExpressions;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>Which system value a receiver's start position compares against.</summary>
internal enum StartField
{
    Offset,
    SequenceNumber,
    EnqueuedTime,

    /// <summary>The offset <c>@latest</c>: only events that arrive after the attach.</summary>
    Latest,
}

/// <summary>
/// A receive link's start position, read from its source filter <c>apache.org:selector-filter:string</c>. Event Hubs
/// takes a SQL-like expression there; the .NET SDK 5.12.2 sends exactly one comparison, in these shapes (logged from
/// it against this peer, see <see cref="EventHubsAmqpPeer.ReceiveFilters"/>):
/// <code>
/// amqp.annotation.x-opt-offset > -1                        earliest (offset -1: before the first event)
/// amqp.annotation.x-opt-offset > @latest                   latest
/// amqp.annotation.x-opt-sequence-number >= 3               from a sequence number, inclusive (> is exclusive)
/// amqp.annotation.x-opt-enqueued-time > 1796593367037      from an enqueued time, in Unix milliseconds
/// </code>
/// The value may also be single-quoted, as the public protocol description writes it. Anything else is refused: a peer
/// that guessed at other shapes would hide an SDK change instead of showing it.
/// </summary>
internal readonly partial record struct StartPosition(StartField Field, bool Inclusive, long Value)
{
    public const string FilterName = "apache.org:selector-filter:string";

    /// <summary>A link without a filter reads from the start of the partition, as the service does.</summary>
    public static StartPosition Earliest => new(StartField.Offset, false, -1);

    /// <summary>Parses one of the shapes above; returns null and says why for anything else.</summary>
    public static StartPosition? Parse(string expression, out string? refusal)
    {
        refusal = null;
        Match match = Selector().Match(expression);
        if (!match.Success)
        {
            refusal = $"unsupported selector '{expression}': expected amqp.annotation.x-opt-offset, x-opt-sequence-number or x-opt-enqueued-time, then > or >=, then a value";
            return null;
        }

        string name = match.Groups["name"].Value;
        bool inclusive = match.Groups["op"].Value == ">=";
        string value = match.Groups["value"].Value;
        if (name == "x-opt-offset" && value == "@latest")
        {
            return new StartPosition(StartField.Latest, inclusive, 0);
        }

        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
        {
            refusal = $"the value '{value}' in selector '{expression}' is not a number";
            return null;
        }

        StartField field = name switch
        {
            "x-opt-offset" => StartField.Offset,
            "x-opt-sequence-number" => StartField.SequenceNumber,
            _ => StartField.EnqueuedTime,
        };
        return new StartPosition(field, inclusive, number);
    }

    [GeneratedRegex(@"^amqp\.annotation\.(?<name>x-opt-offset|x-opt-sequence-number|x-opt-enqueued-time) (?<op>>=|>) (?<quote>'?)(?<value>[^' ]+)\k<quote>$", RegexOptions.CultureInvariant)]
    private static partial Regex Selector();
}
