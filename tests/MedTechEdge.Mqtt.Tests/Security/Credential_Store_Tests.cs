using System.Text;
using MedTechEdge.Mqtt.Security;

namespace MedTechEdge.Mqtt.Tests.Security;

/// <summary>The credentials file: one <c>username:hash</c> per line, comments, and errors reported all at once.</summary>
public sealed class Credential_Store_Tests
{
    private const int Iterations = 1_000;

    [Fact]
    public void File_With_Comments_And_Blank_Lines_Loads_Every_User()
    {
        string text = string.Join("\r\n",
            "# bedside monitors",
            MqttPasswordHash.CreateLine("monitor-1", "one", Iterations),
            string.Empty,
            "   " + MqttPasswordHash.CreateLine("monitor-2", "two", Iterations),
            string.Empty);

        MqttCredentialStore store = MqttCredentialStore.Parse(text, "test");

        Assert.Equal(2, store.Count);
        Assert.True(store.Verify("monitor-1", Encoding.UTF8.GetBytes("one")));
        Assert.True(store.Verify("monitor-2", Encoding.UTF8.GetBytes("two")));
        Assert.False(store.Verify("monitor-1", Encoding.UTF8.GetBytes("two")));
        Assert.False(store.Verify("monitor-3", Encoding.UTF8.GetBytes("one")));
        Assert.False(store.Verify("MONITOR-1", Encoding.UTF8.GetBytes("one")));
    }

    [Fact]
    public void Every_Error_Is_Reported_With_Its_Line_Number_And_No_Hash_Material()
    {
        string good = MqttPasswordHash.CreateLine("dev-1", "x", Iterations);
        string text = string.Join("\n",
            good,
            "no-colon-here",
            "dev-2:$pbkdf2-sha256$1000$AAAA$BBBB",
            good,
            "dev-3:plaintext-password");

        FormatException error = Assert.Throws<FormatException>(() => MqttCredentialStore.Parse(text, "creds.txt"));

        Assert.Contains("creds.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("4 error(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 2:", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 4: duplicate username 'dev-1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 5:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("plaintext-password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AAAA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_User_May_List_Further_Device_Ids_And_Patterns_After_Its_Hash()
    {
        string text = string.Join("\n",
            MqttPasswordHash.CreateLine("hub-12", "pw", Iterations) + ":devices=mon-1,mon-2,bed12-*",
            MqttPasswordHash.CreateLine("mon-9", "pw", Iterations));

        MqttCredentialStore store = MqttCredentialStore.Parse(text, "test");

        Assert.True(store.TryGet("hub-12", out MqttCredential? hub));
        Assert.Equal(["mon-1", "mon-2", "bed12-*"], hub.DeviceIds);
        Assert.True(hub.Hash.Matches(Encoding.UTF8.GetBytes("pw")));
        Assert.True(store.TryGet("mon-9", out MqttCredential? monitor));
        Assert.Empty(monitor.DeviceIds);
    }

    [Fact]
    public void Device_List_Errors_Name_Their_Line_And_Echo_No_Hash()
    {
        string hash = MqttPasswordHash.CreateLine("x", "pw", Iterations)["x:".Length..];
        string text = string.Join("\n",
            "hub-1:" + hash + ":devices=mon-1",
            "hub-2:" + hash + ":devices=",
            "hub-3:" + hash + ":devices=mon-1,,mon-2",
            "hub-4:" + hash + ":monitors=mon-1",
            "hub-5:" + hash + ":devices=mon 1");

        FormatException error = Assert.Throws<FormatException>(() => MqttCredentialStore.Parse(text, "creds.txt"));

        Assert.Contains("4 error(s)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line 1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 2: devices=", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3: devices=", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 4: after the hash", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 5: devices=", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(hash.Split('$')[^1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Example_Line_In_The_Docs_Verifies_Its_Stated_Password()
    {
        string docs = File.ReadAllText(FindRepositoryFile("docs/mqtt.md"));
        string line = docs.Split('\n').Single(l => l.StartsWith("monitor-7:$pbkdf2-sha256$", StringComparison.Ordinal));

        MqttCredentialStore store = MqttCredentialStore.Parse(line, "docs/mqtt.md");

        Assert.True(store.Verify("monitor-7", Encoding.UTF8.GetBytes("example-password")));
    }

    private static string FindRepositoryFile(string relativePath)
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relativePath} not found above {AppContext.BaseDirectory}.");
    }
}
