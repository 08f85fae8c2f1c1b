using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit;

namespace MedTechEdge.TestPeers;

/// <summary>
/// Starts Azurite's Blob service (Microsoft's Azure Storage emulator, npm <c>azurite</c> in tests/peers/azurite) on a
/// free loopback port with its own temporary folder, and stops it and deletes the folder when disposed.
/// </summary>
/// <remarks>
/// Share one instance per test collection (<see cref="CollectionName"/>) and keep tests apart with a container of
/// their own. The peer needs <c>npm ci</c> in tests/peers/azurite once (<c>./test.sh</c> does it).
/// </remarks>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Conventional xunit collection name for tests sharing one Azurite.</summary>
    public const string CollectionName = "Azurite";

    /// <summary>Azurite's well-known development account (learn.microsoft.com/azure/storage/common/storage-use-azurite).</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The development account's published key; it guards nothing but the emulator.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    // Azurite prints this line once the port is bound; the rest of the line is the service URL.
    private const string ListeningPrefix = "Azurite Blob service successfully listens on ";
    private const int MaxOutputChars = 16 * 1024;
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _output = new();
    private readonly object _outputLock = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;
    private string? _location;
    private Uri? _blobEndpoint;

    /// <summary>The Blob service's account URL, e.g. <c>http://127.0.0.1:41234/devstoreaccount1</c>.</summary>
    /// <exception cref="InvalidOperationException">The fixture has not been initialized.</exception>
    public Uri BlobEndpoint => _blobEndpoint ?? throw new InvalidOperationException("Azurite has not been started.");

    /// <summary>
    /// A connection string for the development account at this instance's port, for <c>BlobServiceClient</c>,
    /// <c>BlobContainerClient</c> and the Node SDK alike.
    /// </summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};";

    /// <summary>The folder Azurite keeps its data in (deleted on dispose).</summary>
    public string Location => _location ?? throw new InvalidOperationException("Azurite has not been started.");

    /// <summary>Everything Azurite printed so far (capped), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts Azurite and waits (up to 30 s) until its Blob service answers HTTP.</summary>
    /// <exception cref="InvalidOperationException">
    /// node_modules is missing, node cannot be started, or Azurite did not answer in time; the message includes its output.
    /// </exception>
    public async Task InitializeAsync()
    {
        string peerDirectory = PeerFolders.Find("azurite");
        string main = Path.Combine(peerDirectory, "node_modules", "azurite", "dist", "src", "blob", "main.js");
        if (!File.Exists(main))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed ({main} is missing). Run `npm ci` in tests/peers/azurite, or run ./test.sh, which does it.");
        }

        _location = Directory.CreateTempSubdirectory("azurite-").FullName;
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = peerDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(main);
        // Port 0: the OS picks a free port and Azurite reports it, so two test runs never race for one.
        foreach (string argument in new[] { "--blobHost", "127.0.0.1", "--blobPort", "0", "--location", _location })
        {
            startInfo.ArgumentList.Add(argument);
        }

        // --skipApiVersionCheck: the storage SDK may be newer than this Azurite; --loose: ignore headers it does not
        // know; --disableTelemetry: this machine has no route out, and a test must not try one.
        foreach (string flag in new[] { "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry" })
        {
            startInfo.ArgumentList.Add(flag);
        }

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += OnOutputLine;
        process.ErrorDataReceived += OnOutputLine;
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException("Cannot start `node` for Azurite; node >= 20 must be on PATH. " + ex.Message, ex);
        }

        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Uri service = await _listening.Task.WaitAsync(s_startTimeout).ConfigureAwait(false);
            _blobEndpoint = new Uri(service.GetLeftPart(UriPartial.Authority) + "/" + AccountName);
            await WaitUntilAnsweringAsync(service).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or HttpRequestException or TaskCanceledException)
        {
            await DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"Azurite did not start within {s_startTimeout.TotalSeconds:0} s. Its output:\n{Output}", ex);
        }
    }

    /// <summary>Kills Azurite, waits for it to exit and deletes its folder.</summary>
    public async Task DisposeAsync()
    {
        Process? process = _process;
        _process = null;
        if (process is not null)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
            {
                // Already gone, or did not die in time; nothing more a test can do.
            }
            finally
            {
                process.OutputDataReceived -= OnOutputLine;
                process.ErrorDataReceived -= OnOutputLine;
                process.Dispose();
            }
        }

        if (_location is not null && Directory.Exists(_location))
        {
            Directory.Delete(_location, recursive: true);
        }
    }

    // The port is bound when Azurite prints its URL; an HTTP answer (any status: the request is unsigned) proves the
    // service behind it is ready too.
    private async Task WaitUntilAnsweringAsync(Uri service)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process is { HasExited: true } exited)
            {
                throw new HttpRequestException($"Azurite exited with code {exited.ExitCode.ToString(CultureInfo.InvariantCulture)}.");
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri(service, "/" + AccountName + "?comp=list")).ConfigureAwait(false);
                return;
            }
            catch (HttpRequestException) when (clock.Elapsed < s_startTimeout)
            {
                // The polling interval of a wait with a deadline (s_startTimeout): Azurite answers once it listens.
                await Task.Delay(50).ConfigureAwait(false);
            }
        }
    }

    private void OnOutputLine(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is null)
        {
            return;
        }

        lock (_outputLock)
        {
            if (_output.Length < MaxOutputChars)
            {
                _output.AppendLine(e.Data);
            }
        }

        int at = e.Data.IndexOf(ListeningPrefix, StringComparison.Ordinal);
        if (at >= 0 && Uri.TryCreate(e.Data[(at + ListeningPrefix.Length)..].Trim(), UriKind.Absolute, out Uri? url))
        {
            _listening.TrySetResult(url);
        }
    }
}
