using System.Buffers;
using System.Globalization;
using System.Text.Json;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Mapping.Tests;

/// <summary>The Observation writer appends text itself; every piece must be byte for byte what Utf8JsonWriter writes.</summary>
public sealed class JsonAppenderTests
{
    public static TheoryData<string> Strings()
    {
        var data = new TheoryData<string> { string.Empty, "Patient/", "a51d0e44-device", "p.d.heartrate.20261121170000Z.20261121170000Z", "é", "日本", "😀", "a\"b", "a\\b", "<&>'+`", "\u0001\u001f\u007f", "tab\there" };
        for (char c = ' '; c <= '~'; c++)
        {
            data.Add("x" + c + "y");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Strings))]
    public void Strings_Are_Escaped_As_The_Writer_Escapes_Them(string value)
    {
        // The writer puts a constant prefix and the data's text between its own quotes: escaped apart, as one.
        var appender = new JsonAppender();
        appender.Append("\"ref/"u8);
        appender.AppendEscaped(value);
        appender.Append("\""u8);

        Assert.Equal(Written(w => w.WriteStringValue("ref/" + value)), appender.Written.ToArray());
    }

    [Theory]
    [InlineData("72")]
    [InlineData("98.60")]
    [InlineData("-0.0001")]
    [InlineData("79228162514264337593543950335")]
    public void Numbers_Are_Formatted_As_The_Writer_Formats_Them(string text)
    {
        decimal value = decimal.Parse(text, CultureInfo.InvariantCulture);
        var appender = new JsonAppender();
        appender.AppendNumber(value);

        Assert.Equal(Written(w => w.WriteNumberValue(value)), appender.Written.ToArray());
    }

    [Theory]
    [InlineData("72")]
    [InlineData("98.6")]
    [InlineData("1.50")]
    [InlineData("-12.5")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("0")]
    [InlineData("007")]
    [InlineData("1,000")]
    [InlineData("  5 ")]
    [InlineData("123456789012345678901234567")]
    [InlineData("12345678901234567890123456789")]
    [InlineData("0.0000000000000000000000000001")]
    [InlineData("1.")]
    public void Decimal_Texts_Come_Out_As_The_Parsed_Decimal_Would(string text)
    {
        decimal value = decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
        var appender = new JsonAppender();

        Assert.True(appender.TryAppendDecimal(text));
        Assert.Equal(Written(w => w.WriteNumberValue(value)), appender.Written.ToArray());
    }

    [Theory]
    [InlineData("1e3")]
    [InlineData("abc")]
    [InlineData("")]
    public void Non_Decimal_Texts_Are_Refused(string text) => Assert.False(new JsonAppender().TryAppendDecimal(text));

    [Fact]
    public void Repeated_And_Changing_Instants_Are_Each_Right()
    {
        var appender = new JsonAppender();
        var first = new DateTime(2026, 11, 21, 17, 0, 0, DateTimeKind.Utc);
        appender.AppendInstant(first);
        appender.AppendInstant(first);
        appender.AppendInstant(first.AddTicks(1));

        Assert.Equal("\"2026-11-21T17:00:00.0000000Z\"\"2026-11-21T17:00:00.0000000Z\"\"2026-11-21T17:00:00.0000001Z\"", System.Text.Encoding.UTF8.GetString(appender.Written));
    }

    [Fact]
    public void Instants_Alternating_Between_Kept_And_New_Ones_Are_Each_Right()
    {
        // Two instants are kept (an Observation's time and the batch's issued time); a third replaces the older.
        var appender = new JsonAppender();
        var a = new DateTime(2026, 11, 21, 17, 0, 0, DateTimeKind.Utc);
        DateTime b = a.AddSeconds(1);
        DateTime c = a.AddTicks(-1);
        DateTime[] sequence = [a, b, a, c, b, a, b, c, c, a, DateTime.MinValue, a];
        var expected = new System.Text.StringBuilder();
        foreach (DateTime instant in sequence)
        {
            appender.AppendInstant(instant);
            expected.Append('"').Append(instant.ToString("O", System.Globalization.CultureInfo.InvariantCulture)).Append('"');
        }

        Assert.Equal(expected.ToString().Replace("0001-01-01T00:00:00.0000000\"", "0001-01-01T00:00:00.0000000Z\"", StringComparison.Ordinal), System.Text.Encoding.UTF8.GetString(appender.Written));
    }

    [Fact]
    public void Instants_Have_Seven_Fractional_Digits_And_Z()
    {
        var appender = new JsonAppender();
        appender.AppendInstant(new DateTime(2026, 11, 21, 17, 0, 0, DateTimeKind.Unspecified).AddTicks(1234567));

        Assert.Equal("\"2026-11-21T17:00:00.1234567Z\"", System.Text.Encoding.UTF8.GetString(appender.Written));
    }

    [Fact]
    public void The_Buffer_Grows_For_Long_Text()
    {
        var appender = new JsonAppender();
        string big = new('a', 10_000);
        appender.AppendEscaped(big);
        appender.AppendEscaped(big);

        Assert.Equal(20_000, appender.Written.Length);
    }

    private static byte[] Written(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
