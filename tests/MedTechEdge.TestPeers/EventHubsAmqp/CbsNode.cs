using Amqp;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// AMQP Claims-Based Security (the OASIS AMQP-CBS draft as Event Hubs uses it): a <c>put-token</c> request names the
/// audience in <c>name</c>, the token type in <c>type</c>, and carries the token as its body. A token that grants the
/// hub authorizes the connection (202 Accepted); anything else is 401, and the connection stays unauthorized.
/// </summary>
internal static class CbsNode
{
    private const string SasTokenType = "servicebus.windows.net:sastoken";

    // What the .NET SDK sends for a TokenCredential's access token.
    private const string JwtTokenType = "jwt";

    public static Message Answer(PeerState state, Connection connection, Message request)
    {
        string? operation = StatusResponse.Property(request, "operation");
        if (operation != "put-token")
        {
            return StatusResponse.Create(400, $"unsupported operation '{operation}'");
        }

        string? type = StatusResponse.Property(request, "type");
        string? audience = StatusResponse.Property(request, "name");
        string? refusal = type is not (SasTokenType or JwtTokenType) ? $"token type '{type}' is not accepted here"
            : !state.Tokens.NamesHub(audience) ? $"the audience '{audience}' is not the hub"
            : type == JwtTokenType ? state.Tokens.ValidateBearer(request.Body as string)
            : state.Tokens.Validate(request.Body as string);
        if (refusal is not null)
        {
            state.RefuseToken(refusal);
            return StatusResponse.Create(401, refusal);
        }

        state.Authorize(connection);
        return StatusResponse.Create(202, "Accepted");
    }
}
