using System.Text;

namespace MedTechEdge.LocalHttp.Tests;

/// <summary>The head's end, found across receives: the carried scan gives what one scan of the whole bytes gives.</summary>
public sealed class RequestHeadScanTests
{
    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\n\r\nNEXT")]
    [InlineData("\r\n\r\nGET / HTTP/1.1\nHost: h\n\nNEXT")]
    [InlineData("GET /x HTTP/1.0\r\n\r\n")]
    public void A_Head_Arriving_A_Byte_At_A_Time_Ends_Where_The_Whole_Head_Ends(string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        var whole = default(RequestHead.Scan);
        int expected = RequestHead.FindEnd(bytes, ref whole);
        Assert.True(expected > 0);

        var carried = default(RequestHead.Scan);
        int found = -1;
        int length = 0;
        while (found < 0 && length < bytes.Length)
        {
            length++;
            found = RequestHead.FindEnd(bytes.AsSpan(0, length), ref carried);
        }

        Assert.Equal(expected, found);
        Assert.Equal(expected, length);
    }

    [Fact]
    public void Only_Empty_Lines_Never_End_A_Head_And_The_Request_Line_Is_Not_Counted_Ended()
    {
        var scan = default(RequestHead.Scan);

        Assert.Equal(-1, RequestHead.FindEnd("\r\n\r\n\n\r\n"u8, ref scan));
        Assert.False(scan.RequestLineEnded);
    }
}
