using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Gateway.Tests.Support;

/// <summary>
/// A real OCSP responder for <paramref name="ca"/>: every answer is made by <c>openssl ocsp</c> from its index,
/// signed with <paramref name="signer"/>'s key (by default the CA's own). openssl's own server mode binds every
/// interface, so requests reach it through a small HTTP front bound to 127.0.0.1 that hands each DER request to
/// <c>openssl ocsp -reqin</c> and returns its <c>-respout</c>. The port is picked free when this is made (so that
/// certificates can name it in their AIA before it starts) and is closed until <see cref="StartAsync"/>.
/// </summary>
public sealed class OcspResponder(X509Certificate2 ca, X509Certificate2? signer = null) : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly PemFiles _files = new();
    private WebApplication? _front;
    private string[] _respond = [];

    public Uri Url { get; } = new($"http://127.0.0.1:{FreePort()}/");

    /// <summary>Serves <paramref name="good"/> as valid and <paramref name="revoked"/> as revoked; any other serial is unknown.</summary>
    public async Task StartAsync(X509Certificate2[] good, X509Certificate2[] revoked)
    {
        var index = good.Select(c => $"V\t{IndexTime(c.NotAfter)}\t\t{IndexSerial(c)}\tunknown\t/CN={c.GetNameInfo(X509NameType.SimpleName, false)}\n")
            .Concat(revoked.Select(c => $"R\t{IndexTime(c.NotAfter)}\t{IndexTime(DateTime.UtcNow.AddHours(-1))}\t{IndexSerial(c)}\tunknown\t/CN={c.GetNameInfo(X509NameType.SimpleName, false)}\n"));
        var indexFile = _files.Write("index.txt", string.Concat(index));
        var caFile = _files.Write("ca.pem", ca.ExportCertificatePem());
        var (signerFile, keyFile) = _files.Client(signer ?? ca, "signer");
        // -ndays gives every answer a nextUpdate, which is what lets the gateway cache it.
        _respond = ["ocsp", "-index", indexFile, "-CA", caFile, "-rsigner", signerFile, "-rkey", keyFile, "-ndays", "1"];

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Url.Port));
        _front = builder.Build();
        _front.MapPost("/", AnswerAsync);
        await _front.StartAsync().WaitAsync(Patience);
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = _files.Path($"request-{Guid.NewGuid():N}.der");
        var response = request.Replace("request-", "response-", StringComparison.Ordinal);
        await using (var file = File.Create(request))
            await context.Request.Body.CopyToAsync(file);

        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[.. _respond, "-reqin", request, "-respout", response]) start.ArgumentList.Add(argument);
        using var openssl = Process.Start(start)!;
        var stderr = openssl.StandardError.ReadToEndAsync();
        await openssl.StandardOutput.ReadToEndAsync();
        await openssl.WaitForExitAsync().WaitAsync(Patience);
        if (openssl.ExitCode != 0) throw new InvalidOperationException($"openssl ocsp failed: {await stderr}");

        context.Response.ContentType = "application/ocsp-response";
        await context.Response.Body.WriteAsync(await File.ReadAllBytesAsync(response));
    }

    /// <summary>Stops the responder: afterwards its port refuses connections.</summary>
    public async Task StopAsync()
    {
        if (_front is null) return;
        await _front.DisposeAsync();
        _front = null;
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
