using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// Answers a client's receiver on one partition of one consumer group: it must be authorized through <c>$cbs</c> like
/// a sender, name a configured consumer group (else amqp:not-found, as the service refuses an unknown group), carry a
/// start position the peer understands (see <see cref="StartPosition"/>), and rank by owner level at least as high as
/// the partition's current readers (see <see cref="PartitionOwners"/>).
/// </summary>
internal static class ReceiveLinkAttach
{
    private static readonly Symbol s_ownerLevel = new("com.microsoft:epoch");

    public static void Process(PeerState state, AttachContext attachContext, string group, int partition)
    {
        Attach attach = attachContext.Attach;
        if (!state.IsAuthorized(attachContext.Link.Session.Connection))
        {
            attachContext.Complete(new Error(ErrorCode.UnauthorizedAccess) { Description = "no valid put-token on this connection" });
            return;
        }

        if (!state.Options.ConsumerGroups.Contains(group, StringComparer.OrdinalIgnoreCase))
        {
            // The .NET SDK reports amqp:not-found as ResourceNotFound only when the description reads as the service's
            // does ("The messaging entity ... could not be found"); any other wording becomes ServiceCommunicationProblem.
            attachContext.Complete(new Error(ErrorCode.NotFound)
            {
                Description = $"The messaging entity '{state.Options.Hub}/ConsumerGroups/{group}' could not be found: no consumer group '{group}' in hub '{state.Options.Hub}'.",
            });
            return;
        }

        StartPosition start = StartPosition.Earliest;
        if (Selector(attach.Source as Source) is string expression)
        {
            state.RecordReceiveFilter(expression);
            if (StartPosition.Parse(expression, out string? refusal) is not StartPosition parsed)
            {
                // A shape an SDK sends and the peer does not parse is a gap in the peer; tests see it as a fault.
                state.Fault(refusal!);
                attachContext.Complete(new Error(ErrorCode.InvalidField) { Description = refusal });
                return;
            }

            start = parsed;
        }

        long? ownerLevel = attach.Properties is { } properties && properties.TryGetValue(s_ownerLevel, out object? level)
            ? Convert.ToInt64(level, System.Globalization.CultureInfo.InvariantCulture)
            : null;
        var endpoint = new ReceiveLinkEndpoint(state, group, partition, ownerLevel);
        if (state.Owners.Admit(group, partition, endpoint, out List<ReceiveLinkEndpoint> superseded) is Error refused)
        {
            attachContext.Complete(refused);
            return;
        }

        // The position is resolved after admission and before the attach is answered, so "latest" means every event
        // appended once the client can see its link.
        long first = state.Log.FirstAfter(partition, start);
        ListenerLink link = attachContext.Link;
        // The receivers it supersedes stop before the new one starts: once the new receiver has an event, no event
        // appended after it can still reach a superseded one.
        foreach (ReceiveLinkEndpoint holder in superseded)
        {
            holder.Supersede(ownerLevel);
        }

        attachContext.Complete(endpoint, 0);
        endpoint.Start(link, first);
    }

    private static string? Selector(Source? source) =>
        source?.FilterSet is { } filters && filters.TryGetValue(new Symbol(StartPosition.FilterName), out object? filter)
            ? (filter as DescribedValue)?.Value as string ?? filter as string
            : null;
}
