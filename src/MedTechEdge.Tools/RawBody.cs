using System.Text;

namespace MedTechEdge.Tools;

/// <summary>A message body written as it was received, for <c>deadletters show --raw</c>.</summary>
internal static class RawBody
{
    /// <summary>
    /// To the process's standard output the bytes go unchanged (a body need not be UTF-8, and a text writer would
    /// re-encode it); to any other writer (a test's) as UTF-8 text. Nothing is added: no newline, no escaping.
    /// </summary>
    public static void Write(TextWriter stdout, byte[] body)
    {
        if (ReferenceEquals(stdout, Console.Out))
        {
            stdout.Flush();
            using Stream output = Console.OpenStandardOutput();
            output.Write(body);
            output.Flush();
            return;
        }

        stdout.Write(Encoding.UTF8.GetString(body));
    }
}
