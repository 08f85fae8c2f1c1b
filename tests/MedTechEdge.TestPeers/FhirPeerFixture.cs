using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Xunit;

namespace MedTechEdge.TestPeers;

/// <summary>
/// Starts the in-memory FHIR R4 test peer (<c>tests/peers/fhir-server/fhir-peer.mjs</c>, Medplum's
/// fhir-router under node) on a free loopback port, and stops it when disposed.
/// </summary>
/// <remarks>
/// Starting node costs about 1.5 s, so share one instance per test collection
/// (<c>[CollectionDefinition(FhirPeerFixture.CollectionName)]</c> with
/// <c>ICollectionFixture&lt;FhirPeerFixture&gt;</c> in the test project) and keep tests apart with
/// unique identifier systems or <see cref="ResetAsync"/>. The peer needs <c>npm ci</c> in
/// <c>tests/peers/fhir-server</c> once (<c>./test.sh</c> does it).
/// <para>
/// Every resource the peer accepts is also checked by Firely's strict parser and validator
/// (<see cref="FhirResourceAssert"/>): the peer appends each accepted body to a file of the fixture's
/// (<c>FHIR_PEER_RECORD</c>), and <see cref="ResetAsync"/>, <see cref="AssertReceivedResourcesValid"/> and
/// <see cref="DisposeAsync"/> check what was added since the last check, so no test that writes to the peer can
/// skip it. A collection fixture that fails at disposal fails the run as a collection clean-up failure.
/// </para>
/// </remarks>
public sealed class FhirPeerFixture : IAsyncLifetime
{
    /// <summary>Conventional xunit collection name for tests sharing one peer.</summary>
    public const string CollectionName = "FhirPeer";

    // The peer's first stdout line; everything after the prefix is the base URL.
    private const string ListeningPrefix = "fhir-peer listening on ";
    private const int MaxStderrChars = 16 * 1024;
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _stderr = new();
    private readonly object _stderrLock = new();
    private Process? _process;
    private Task? _stdoutDrain;
    private HttpClient? _http;
    private Uri? _baseUrl;
    private string? _recordPath;
    private long _recordChecked;

    /// <summary>
    /// The peer's FHIR base, e.g. <c>http://127.0.0.1:41234/fhir/</c>. Always ends in a slash, so
    /// <c>new Uri(BaseUrl, "Observation")</c> resolves below it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The fixture has not been initialized.</exception>
    public Uri BaseUrl => _baseUrl ?? throw new InvalidOperationException("The FHIR peer has not been started.");

    /// <summary>The port to listen on; 0 (the default) lets the OS choose. A fixed port lets a test stop the server and start it again at the same address.</summary>
    public int Port { get; init; }

    /// <summary>Everything the peer wrote to stderr so far (capped), for failure messages.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderrLock)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts node and waits (up to 30 s) for the peer to print its URL.</summary>
    /// <exception cref="InvalidOperationException">
    /// node_modules is missing, node cannot be started, or the peer did not report its URL in time;
    /// the message includes the peer's stderr.
    /// </exception>
    public async Task InitializeAsync()
    {
        string peerDirectory = FindPeerDirectory();
        if (!Directory.Exists(Path.Combine(peerDirectory, "node_modules", "@medplum", "fhir-router")))
        {
            throw new InvalidOperationException(
                $"The FHIR test peer's npm packages are not installed ({peerDirectory}/node_modules is missing). " +
                "Run `npm ci` in tests/peers/fhir-server, or run ./test.sh, which does it.");
        }

        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = peerDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add("fhir-peer.mjs");
        startInfo.Environment["FHIR_PEER_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        startInfo.Environment["FHIR_PEER_HOST"] = "127.0.0.1";
        _recordPath = Path.Combine(Path.GetTempPath(), $"medtechedge-fhir-peer-{Guid.NewGuid():N}.ndjson");
        startInfo.Environment["FHIR_PEER_RECORD"] = _recordPath;
        // If the test host dies without disposing us, its end of the stdin pipe closes and the
        // peer exits instead of lingering as an orphan.
        startInfo.Environment["FHIR_PEER_EXIT_ON_STDIN_EOF"] = "1";

        var process = new Process { StartInfo = startInfo };
        process.ErrorDataReceived += OnStderrLine;
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException(
                "Cannot start `node` for the FHIR test peer; node >= 20.19 must be on PATH. " + ex.Message, ex);
        }

        _process = process;
        process.BeginErrorReadLine();

        string? line;
        using (var timeout = new CancellationTokenSource(s_startTimeout))
        {
            try
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await StopAsync().ConfigureAwait(false);
                throw StartFailure($"it printed nothing within {s_startTimeout.TotalSeconds:0} s");
            }
        }

        if (line is null || !line.StartsWith(ListeningPrefix, StringComparison.Ordinal))
        {
            await StopAsync().ConfigureAwait(false);
            throw StartFailure(line is null ? "it exited before printing its URL" : $"unexpected first line \"{line}\"");
        }

        // The peer prints nothing more, but keep the pipe drained so it can never block on a full buffer.
        _stdoutDrain = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        _baseUrl = new Uri(line[ListeningPrefix.Length..].Trim().TrimEnd('/') + "/", UriKind.Absolute);
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// Wipes every resource in the peer (<c>POST {base}/$reset</c>, a test-only extension), then checks what it
    /// accepted since the last check (<see cref="AssertReceivedResourcesValid"/>).
    /// </summary>
    /// <exception cref="HttpRequestException">The peer did not answer with a success status.</exception>
    /// <exception cref="Xunit.Sdk.XunitException">Firely rejects a resource the peer accepted.</exception>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        var http = _http ?? throw new InvalidOperationException("The FHIR peer has not been started.");
        using var response = await http.PostAsync(new Uri(BaseUrl, "$reset"), content: null, cancellationToken)
            .ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        AssertReceivedResourcesValid();
    }

    /// <summary>Resources the peer accepted that this fixture has checked with Firely so far.</summary>
    public int CheckedResources { get; private set; }

    /// <summary>
    /// Checks with Firely every resource the peer accepted (created or updated, alone or in a committed
    /// transaction) since the last check. The peer records a write before it answers it, so everything a
    /// test saw acknowledged is included.
    /// </summary>
    /// <exception cref="Xunit.Sdk.XunitException">Lists each rejected resource (<c>Type/id</c>) with every problem.</exception>
    public void AssertReceivedResourcesValid()
    {
        if (_recordPath is null || !File.Exists(_recordPath))
        {
            return;
        }

        var fresh = new List<string>();
        using (var stream = new FileStream(_recordPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            stream.Position = _recordChecked;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string rest = reader.ReadToEnd();
            // Only whole lines: the peer may be appending one right now.
            int end = rest.LastIndexOf('\n') + 1;
            _recordChecked += Encoding.UTF8.GetByteCount(rest.AsSpan(0, end));
            foreach (string line in rest[..end].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                fresh.Add(line);
            }
        }

        CheckedResources += fresh.Count;
        FhirResourceAssert.AllValid(fresh, $"that the FHIR test peer at {_baseUrl} accepted");
    }

    /// <summary>
    /// Kills the node process tree, waits for it to exit, then checks what it accepted since the last
    /// check (<see cref="AssertReceivedResourcesValid"/>).
    /// </summary>
    /// <exception cref="Xunit.Sdk.XunitException">Firely rejects a resource the peer accepted.</exception>
    public async Task DisposeAsync()
    {
        _http?.Dispose();
        _http = null;
        await StopAsync().ConfigureAwait(false);
        try
        {
            // After the exit, so nothing is still on its way into the file.
            AssertReceivedResourcesValid();
        }
        finally
        {
            if (_recordPath is not null)
            {
                File.Delete(_recordPath);
                _recordPath = null;
            }
        }
    }

    private async Task StopAsync()
    {
        Process? process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            if (_stdoutDrain is not null)
            {
                await _stdoutDrain.ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or IOException)
        {
            // Already gone, or did not die in time; nothing more a test can do about it.
        }
        finally
        {
            process.ErrorDataReceived -= OnStderrLine;
            process.Dispose();
        }
    }

    private InvalidOperationException StartFailure(string what)
    {
        string stderr = StandardError;
        return new InvalidOperationException(
            $"The FHIR test peer (node tests/peers/fhir-server/fhir-peer.mjs) failed to start: {what}. " +
            (stderr.Length == 0 ? "It wrote nothing to stderr." : "stderr:\n" + stderr));
    }

    private void OnStderrLine(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is null)
        {
            return;
        }

        lock (_stderrLock)
        {
            if (_stderr.Length < MaxStderrChars)
            {
                _stderr.AppendLine(e.Data);
            }
        }
    }

    private static string FindPeerDirectory() => PeerFolders.Find("fhir-server");
}
