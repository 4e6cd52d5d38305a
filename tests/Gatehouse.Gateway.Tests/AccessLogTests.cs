using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gatehouse.Gateway.Observability;
using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Tests;

/// <summary>
/// The access log file as a user reads it: one JSON line per request with Azure's v2 fields. Each test serves its own
/// gateway and stops it before reading, which writes every queued line.
/// </summary>
public sealed class AccessLogTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gatehouse-access-log-");
    private int _backendPort;

    private string LogFile => Path.Combine(_directory.FullName, "access.log");

    [Fact]
    public async Task A_Passthrough_request_without_a_certificate_is_logged_with_Azure_fields_and_the_trace_id_sent_to_the_backend()
    {
        EchoedRequest echo;
        int gatewayPort;
        await using (var gateway = await StartAsync(TestGateways.Passthrough()))
        {
            gatewayPort = gateway.Port;
            using var client = gateway.Client();
            echo = await gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/api/v1/items?x=1") { Headers = { { "User-Agent", "access-log-test" } } });
        }

        var entry = Assert.Single(ReadLog());
        var properties = entry["properties"]!;
        Assert.Equal(TestGateways.GatewayId.ToUpperInvariant(), (string?)entry["resourceId"]);
        Assert.Equal(("listener2", "rule2", "pool2", "settings2"),
            ((string?)entry["listenerName"], (string?)entry["ruleName"], (string?)entry["backendPoolName"], (string?)entry["backendSettingName"]));
        Assert.Equal(("ApplicationGatewayAccess", "ApplicationGatewayAccessLog"), ((string?)entry["operationName"], (string?)entry["category"]));
        Assert.Equal(echo.Header("X-AppGW-Trace-Id"), (string?)properties["transactionId"]);
        Assert.Matches("^[0-9a-f]{32}$", (string?)properties["transactionId"]);
        Assert.Equal("127.0.0.1", (string?)properties["clientIP"]);
        Assert.True((int)properties["clientPort"]! > 0);
        Assert.Equal(("GET", "/api/v1/items?x=1", "/api/v1/items", "x=1"), ((string?)properties["httpMethod"],
            (string?)properties["originalRequestUriWithArgs"], (string?)properties["requestUri"], (string?)properties["requestQuery"]));
        Assert.Equal("access-log-test", (string?)properties["userAgent"]);
        Assert.Equal(200, (int)properties["httpStatus"]!);
        Assert.Equal("200", (string?)properties["serverStatus"]);
        Assert.Equal($"127.0.0.1:{_backendPort}", (string?)properties["serverRouted"]);
        Assert.Equal("on", (string?)properties["sslEnabled"]);
        Assert.Matches("^TLSv1\\.[23]$", (string?)properties["sslProtocol"]);
        Assert.Matches("^(ECDHE-RSA-AES(128|256)-GCM-SHA(256|384)|TLS_AES_(128|256)_GCM_SHA(256|384))$", (string?)properties["sslCipher"]);
        Assert.Equal(("NONE", "", ""), ((string?)properties["sslClientVerify"], (string?)properties["sslClientCertificateFingerprint"],
            (string?)properties["sslClientCertificateIssuerName"]));
        Assert.Equal("ERRORINFO_NO_ERROR", (string?)properties["error_info"]);
        // The settings keep the client's Host (no hostName, no pickHostNameFromBackendAddress).
        Assert.Equal(echo.Header("Host"), (string?)properties["host"]);
        Assert.Equal($"localhost:{gatewayPort}", (string?)properties["originalHost"]);
        Assert.Equal("application/json; charset=utf-8", (string?)properties["contentType"]);
        Assert.True((double)properties["timeTaken"]! >= 0);
    }

    [Fact]
    public async Task A_Passthrough_request_with_a_certificate_logs_PASSTHROUGH_its_SHA1_fingerprint_and_issuer_and_never_its_body()
    {
        await using (var gateway = await StartAsync(TestGateways.Passthrough()))
        {
            using var client = gateway.Client(TestCertificates.SelfSignedClient);
            var echo = await gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/"));
            Assert.NotEmpty(echo.Header("X-Client-Cert")!);
        }

        var properties = Assert.Single(ReadLog())["properties"]!;
        Assert.Equal("PASSTHROUGH", (string?)properties["sslClientVerify"]);
        Assert.Equal(Convert.ToHexStringLower(TestCertificates.SelfSignedClient.GetCertHash()), (string?)properties["sslClientCertificateFingerprint"]);
        Assert.Equal("CN=self-signed-client,OU=Clients,O=Gatehouse Tests,C=US", (string?)properties["sslClientCertificateIssuerName"]);
        AssertNoSecrets(TestCertificates.SelfSignedClient);
    }

    [Fact]
    public async Task Strict_rejections_log_400_with_HTTPS_NO_CERT_and_the_reason_a_certificate_failed()
    {
        await using (var gateway = await StartAsync(TestGateways.Strict()))
        {
            using var anonymous = gateway.Client();
            Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync("/")).StatusCode);
            using var untrusted = gateway.Client(TestCertificates.SelfSignedClient);
            Assert.Equal(HttpStatusCode.BadRequest, (await untrusted.GetAsync("/")).StatusCode);
            using var expired = gateway.Client(TestCertificates.ExpiredClient);
            Assert.Equal(HttpStatusCode.BadRequest, (await expired.GetAsync("/")).StatusCode);
            using var trusted = gateway.Client(TestCertificates.ValidClient);
            await gateway.EchoAsync(trusted, new HttpRequestMessage(HttpMethod.Get, "/"));
        }

        var lines = ReadLog().Select(e => e["properties"]!).ToList();
        Assert.Equal([400, 400, 400, 200], lines.Select(p => (int)p["httpStatus"]!));
        Assert.Equal(["ERRORINFO_HTTPS_NO_CERT", "ERRORINFO_HTTPS_NO_CERT", "ERRORINFO_HTTPS_NO_CERT", "ERRORINFO_NO_ERROR"],
            lines.Select(p => (string?)p["error_info"]));
        Assert.Equal(["NONE", "FAILED:self-signed certificate", "FAILED:certificate has expired", "SUCCESS"],
            lines.Select(p => (string?)p["sslClientVerify"]));
        Assert.All(lines.Take(3), p => Assert.Equal("", (string?)p["serverRouted"]));
        Assert.Equal(Convert.ToHexStringLower(TestCertificates.ValidClient.GetCertHash()), (string?)lines[3]["sslClientCertificateFingerprint"]);
        AssertNoSecrets(TestCertificates.ValidClient);
    }

    [Fact]
    public async Task A_backend_that_is_down_logs_502_with_UPSTREAM_NO_LIVE_and_no_server_status()
    {
        var closedPort = ClosedPort();
        await using (var gateway = await RunningGateway.StartAsync(
            _ => (TestGateways.Passthrough(), TestGateways.Environment(closedPort)), [new RollingFileSink(LogFile, 1 << 20, 2)]))
        {
            using var client = gateway.Client();
            Assert.Equal(HttpStatusCode.BadGateway, (await client.GetAsync("/")).StatusCode);
            // The failed connection took the member out (passive detection), as backend health reports it.
            Assert.Equal("Down", Assert.Single(gateway.Host.BackendMembers).Health);
        }

        var properties = Assert.Single(ReadLog())["properties"]!;
        Assert.Equal(502, (int)properties["httpStatus"]!);
        Assert.Equal("ERRORINFO_UPSTREAM_NO_LIVE", (string?)properties["error_info"]);
        Assert.Equal("", (string?)properties["serverStatus"]);
        Assert.Equal($"127.0.0.1:{closedPort}", (string?)properties["serverRouted"]);
    }

    [Fact]
    public async Task A_request_for_a_host_no_listener_takes_is_logged_with_INVALID_HOST()
    {
        var gatewayWithHostName = TestGateways.Passthrough() with
        {
            HttpListeners = [TestGateways.Passthrough().HttpListeners[0] with { HostNames = ["gateway.test"] }],
        };
        await using (var gateway = await StartAsync(gatewayWithHostName))
        {
            using var client = gateway.Client();
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("https://other.test/")).StatusCode);
        }

        var entry = Assert.Single(ReadLog());
        Assert.Equal("", (string?)entry["listenerName"]);
        Assert.Equal("ERRORINFO_INVALID_HOST", (string?)entry["properties"]!["error_info"]);
    }

    [Fact]
    public void The_file_rotates_by_size_keeping_the_given_number_of_old_files()
    {
        using (var sink = new RollingFileSink(LogFile, 100, 2))
        {
            for (var i = 0; i < 10; i++) sink.Write(System.Text.Encoding.UTF8.GetBytes($"{{\"line\":{i},\"padding\":\"{new string('x', 30)}\"}}"));
        }

        Assert.Equal(["access.log", "access.log.1", "access.log.2"], _directory.GetFiles().Select(f => f.Name).Order());
        Assert.Contains("\"line\":9", File.ReadAllText(LogFile));
        Assert.All(_directory.GetFiles(), f => Assert.True(f.Length <= 100, $"{f.Name}: {f.Length} bytes"));
    }

    [Fact]
    public void Log_files_and_their_directory_are_the_owners_alone()
    {
        if (OperatingSystem.IsWindows()) return;
        var logFile = Path.Combine(_directory.FullName, "logs", "access.log");
        using (var sink = new RollingFileSink(logFile, 100, 2))
        {
            for (var i = 0; i < 5; i++) sink.Write(System.Text.Encoding.UTF8.GetBytes($"{{\"line\":{i},\"padding\":\"{new string('x', 30)}\"}}"));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(logFile)!));
        var files = Directory.GetFiles(Path.GetDirectoryName(logFile)!);
        Assert.Equal(3, files.Length);
        foreach (var file in files) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private async Task<RunningGateway> StartAsync(ApplicationGateway gateway)
    {
        var running = await RunningGateway.StartAsync(port => (gateway, TestGateways.Environment(port)), [new RollingFileSink(LogFile, 1 << 20, 2)]);
        _backendPort = running.Backend.Port;
        return running;
    }

    private List<JsonNode> ReadLog() => [.. File.ReadAllLines(LogFile).Select(line => JsonNode.Parse(line)!)];

    /// <summary>Neither the client certificate's body (PEM or base64, as the rewrite forwards it) nor the server PFX or its password.</summary>
    private void AssertNoSecrets(X509Certificate2 clientCertificate)
    {
        var text = File.ReadAllText(LogFile);
        Assert.DoesNotContain(Convert.ToBase64String(clientCertificate.RawData)[..64], text);
        Assert.DoesNotContain("BEGIN CERTIFICATE", text);
        Assert.DoesNotContain(Convert.ToBase64String(TestCertificates.ServerPfx)[..64], text);
        Assert.DoesNotContain(TestCertificates.PfxPassword, text);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
