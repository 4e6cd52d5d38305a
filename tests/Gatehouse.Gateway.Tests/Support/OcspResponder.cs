using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Gateway.Tests.Support;

/// <summary>
/// A real <c>openssl ocsp</c> responder for <paramref name="ca"/>, signing with <paramref name="signer"/>'s key (by
/// default the CA's own), on a port picked free when this is made (so that certificates can name it in their AIA
/// before it starts). Its keys and index live in a temporary directory for its lifetime; until
/// <see cref="StartAsync"/> its port is closed.
/// </summary>
public sealed class OcspResponder(X509Certificate2 ca, X509Certificate2? signer = null) : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly PemFiles _files = new();
    private Process? _process;

    public Uri Url { get; } = new($"http://127.0.0.1:{FreePort()}/");

    /// <summary>Serves <paramref name="good"/> as valid and <paramref name="revoked"/> as revoked; any other serial is unknown.</summary>
    public async Task StartAsync(X509Certificate2[] good, X509Certificate2[] revoked)
    {
        var index = good.Select(c => $"V\t{IndexTime(c.NotAfter)}\t\t{IndexSerial(c)}\tunknown\t/CN={c.GetNameInfo(X509NameType.SimpleName, false)}\n")
            .Concat(revoked.Select(c => $"R\t{IndexTime(c.NotAfter)}\t{IndexTime(DateTime.UtcNow.AddHours(-1))}\t{IndexSerial(c)}\tunknown\t/CN={c.GetNameInfo(X509NameType.SimpleName, false)}\n"));
        var indexFile = _files.Write("index.txt", string.Concat(index));
        var caFile = _files.Write("ca.pem", ca.ExportCertificatePem());
        var (signerFile, keyFile) = _files.Client(signer ?? ca, "signer");

        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -ndays gives every answer a nextUpdate, which is what lets the gateway cache it.
        foreach (var argument in (string[])["ocsp", "-index", indexFile, "-CA", caFile, "-rsigner", signerFile, "-rkey", keyFile,
                     "-port", Url.Port.ToString(), "-ndays", "1"])
            start.ArgumentList.Add(argument);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.StartsWith("ACCEPT", StringComparison.Ordinal) == true) listening.TrySetResult();
        };
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("openssl ocsp exited before it listened."));
        _process.EnableRaisingEvents = true;
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await listening.Task.WaitAsync(Patience);
    }

    /// <summary>Stops the responder: afterwards its port refuses connections.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(Patience);
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _files.Dispose();
    }

    /// <summary>openssl ca's index time: YYMMDDHHMMSSZ in UTC.</summary>
    private static string IndexTime(DateTime time) => time.ToUniversalTime().ToString("yyMMddHHmmss") + "Z";

    /// <summary>As openssl prints a serial (BN_bn2hex): upper-case hex without the DER sign byte.</summary>
    private static string IndexSerial(X509Certificate2 certificate)
    {
        var serial = certificate.SerialNumber;
        while (serial.Length > 2 && serial.StartsWith("00", StringComparison.Ordinal)) serial = serial[2..];
        return serial;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
