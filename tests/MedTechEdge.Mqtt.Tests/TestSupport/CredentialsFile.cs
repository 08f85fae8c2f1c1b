using MedTechEdge.Mqtt.Security;

namespace MedTechEdge.Mqtt.Tests.TestSupport;

/// <summary>A temporary credentials file; cheap iteration count so CONNECT stays fast in tests.</summary>
internal sealed class CredentialsFile : IDisposable
{
    public const int TestIterations = 1_000;

    private CredentialsFile(string path) => Path = path;

    public string Path { get; }

    /// <summary>Writes one line per (username, password) pair.</summary>
    public static CredentialsFile Create(params (string Username, string Password)[] users)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"medtechedge-credentials-{Guid.NewGuid():N}.txt");
        var lines = new List<string> { "# test users" };
        foreach ((string username, string password) in users)
        {
            lines.Add(MqttPasswordHash.CreateLine(username, password, TestIterations));
        }

        File.WriteAllLines(path, lines);
        return new CredentialsFile(path);
    }

    /// <summary>Adds a line as written (e.g. a user with a <c>:devices=</c> list).</summary>
    public CredentialsFile WithLine(string line)
    {
        File.AppendAllLines(Path, [line]);
        return this;
    }

    public void Dispose() => File.Delete(Path);
}
