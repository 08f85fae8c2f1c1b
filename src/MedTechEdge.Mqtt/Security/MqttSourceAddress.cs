using System.Net;
using System.Net.Sockets;

namespace MedTechEdge.Mqtt.Security;

/// <summary>
/// The "source" that the authentication backoff and the refusal logs count per: an IPv4 address, or an IPv6 /64.
/// </summary>
/// <remarks>
/// A /64 is the smallest prefix an IPv6 host is normally given (RFC 4291 §2.5.1, RFC 7421), and it holds 2^64
/// addresses: keyed per /128, one host could use a fresh address for every few CONNECTs and never be backed off.
/// ::ffff:10.0.0.7 and 10.0.0.7 are one client on a dual-stack listener (RFC 4291 §2.5.5.2), so a mapped address is
/// keyed by its IPv4 form. The cost: hosts that share a /64 share its budget, as hosts behind one NAT share an IPv4's.
/// </remarks>
internal static class MqttSourceAddress
{
    private const int PrefixBytes = 8;

    /// <summary>The key for <paramref name="address"/>: itself for IPv4, the IPv4 form of a mapped address, else its /64 with the rest zero.</summary>
    public static IPAddress Key(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[PrefixBytes..].Clear();
        return new IPAddress(bytes);
    }

    /// <summary>A key as the logs write it: "192.0.2.7", or "2001:db8:1:2::/64".</summary>
    public static string Describe(IPAddress key) =>
        key.AddressFamily == AddressFamily.InterNetworkV6 ? key + "/64" : key.ToString();
}
