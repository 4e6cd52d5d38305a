using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gatehouse.Control.Tests;

/// <summary>The portal as a browser uses it: sign-in with the API's credentials, then pages that show but never leak.</summary>
public sealed partial class PortalTests
{
    private const string SignIn = "/portal/signin";
    private static readonly ReferenceDeployment Reference = ReferenceDeployment.Create();
    private static readonly string GatewayPage = $"/portal/resourcegroups/rg1/providers/Microsoft.Network/applicationGateways/{ReferenceDeployment.GatewayName}";

    [Fact]
    public async Task Every_page_sends_a_visitor_without_a_valid_session_to_sign_in()
    {
        await using var server = await RunningServer.StartAsync();
        using var visitor = server.NewClient(followRedirects: false);

        foreach (var page in new[] { "/portal", "/portal/resourcegroups/rg1", GatewayPage, $"{GatewayPage}?part=backend-health" })
        {
            using var response = await visitor.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(SignIn, response.Headers.Location?.OriginalString);
        }
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/portal");
        forged.Headers.Add("Cookie", "__Host-gatehouse-portal=eyJjaWQiOiJ4In0.Zm9yZ2Vk");
        using var refused = await visitor.SendAsync(forged);
        Assert.Equal(SignIn, refused.Headers.Location?.OriginalString);

        var form = await server.Http.GetStringAsync("/portal");
        Assert.Contains("Sign in to Gatehouse Use the service principal", VisibleText(form));
        Assert.Contains("<label for=\"client_secret\">Client secret</label>", form);
    }

    [Fact]
    public async Task Sign_in_refuses_a_wrong_secret_and_the_right_one_opens_a_strict_session_until_sign_out()
    {
        await using var server = await RunningServer.StartAsync();
        using var browser = server.NewClient(followRedirects: false);

        using var wrong = await SignInAsync(server, browser, "not-the-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("The client id or client secret is not valid.", VisibleText(await wrong.Content.ReadAsStringAsync()));
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        using var right = await SignInAsync(server, browser, server.Server.Credentials.ClientSecret);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/portal", right.Headers.Location?.OriginalString);
        var cookie = Assert.Single(right.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("__Host-gatehouse-portal=", cookie);
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(server.Server.Credentials.ClientSecret, cookie);

        using var home = await browser.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("Resource groups", VisibleText(await home.Content.ReadAsStringAsync()));

        using var signOut = await SignOutAsync(browser, FormToken(await home.Content.ReadAsStringAsync()));
        Assert.Equal(SignIn, signOut.Headers.Location?.OriginalString);
        using var after = await browser.GetAsync("/portal");
        Assert.Equal(SignIn, after.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Sign_out_takes_only_the_pages_own_form_and_ends_the_session_for_every_copy_of_its_cookie()
    {
        await using var server = await RunningServer.StartAsync();
        using var browser = server.NewClient(followRedirects: false);
        using var signedIn = await SignInAsync(server, browser, server.Server.Credentials.ClientSecret);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie")).Split(';')[0];
        var (home, _) = await PageAsync(browser, "/portal");

        // What another site could make the browser send: no form token, or one of its own.
        using var forged = await browser.PostAsync("/portal/signout", null);
        using var guessed = await SignOutAsync(browser, "forged");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, guessed.StatusCode);
        await PageAsync(browser, "/portal");

        using var signOut = await SignOutAsync(browser, FormToken(home));
        Assert.Equal(SignIn, signOut.Headers.Location?.OriginalString);

        using var copy = server.NewClient(followRedirects: false);
        using var replayed = new HttpRequestMessage(HttpMethod.Get, "/portal");
        replayed.Headers.Add("Cookie", cookie);
        using var refused = await copy.SendAsync(replayed);
        Assert.Equal(SignIn, refused.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_portal_cookie_is_no_bearer_token_for_the_API()
    {
        await using var server = await RunningServer.StartAsync();
        using var browser = server.NewClient(followRedirects: false);
        using var signedIn = await SignInAsync(server, browser, server.Server.Credentials.ClientSecret);
        var session = Assert.Single(signedIn.Headers.GetValues("Set-Cookie")).Split(';')[0].Split('=', 2)[1];

        server.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session);
        var refused = await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourcegroups?{RunningServer.ApiVersion}");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    private static Task<HttpResponseMessage> SignOutAsync(HttpClient browser, string formToken) =>
        browser.PostAsync("/portal/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["form_token"] = formToken }));

    private static string FormToken(string page) => FormTokenField().Match(page) is { Success: true } match
        ? match.Groups[1].Value
        : throw new Xunit.Sdk.XunitException($"no sign-out form token in: {page}");

    [GeneratedRegex("name=\"form_token\" value=\"([^\"]+)\"")]
    private static partial Regex FormTokenField();

    [Fact]
    public async Task The_reference_gateway_page_shows_passthrough_health_recent_requests_and_the_json_view_by_api_version()
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-portal-").FullName;
        var gatewayId = $"/subscriptions/{Credentials.Load(directory).SubscriptionId}/resourceGroups/rg1/providers/Microsoft.Network/applicationGateways/{ReferenceDeployment.GatewayName}";
        var log = Path.Combine(directory, "access.log");
        await File.WriteAllLinesAsync(log,
        [
            AccessLine(gatewayId, "listener2", 200, "PASSTHROUGH", "10.1.0.4:80"),
            AccessLine("/subscriptions/x/resourceGroups/other/providers/Microsoft.Network/applicationGateways/other", "otherListener", 418, "NONE", ""),
            AccessLine(gatewayId, "listener2", 502, "NONE", "10.1.0.5:80"),
            "{\"timeStamp\":\"2026-", // a line the data plane is still writing
        ]);
        var firewallLog = Path.Combine(directory, "firewall.log");
        await File.WriteAllLinesAsync(firewallLog,
        [
            $$$"""{"timeStamp":"2026-11-27T10:00:03Z","resourceId":"{{{gatewayId.ToUpperInvariant()}}}","properties":{"action":"Blocked","ruleSetType":"OWASP_CRS","ruleId":"949110","message":"Inbound Anomaly Score Exceeded (Total Score: 5)","requestUri":"/?id=1'","clientIp":"203.0.113.9","policyScope":"Global","policyScopeName":"mtlsAppGw"}}""",
        ]);
        const string probeLog = "Application Gateway could not connect to the backend.";
        var monitor = new PortalMonitor(log, firewallLog, [new BackendMemberHealth(gatewayId, "pool2", "headerappgw.test", "Down", probeLog)])
        {
            ServedListeners = [new ServedListener(gatewayId.ToUpperInvariant(), "LISTENER2", "127.0.0.2:8444"), new ServedListener("/other", "listener2", "127.0.0.9:444")],
        };
        await using var server = await RunningServer.StartAsync(directory, monitor: monitor);
        try
        {
            await server.SignInAsync();
            await server.CreateResourceGroupAsync("rg1");
            Assert.Equal("Succeeded", (await server.DeployAsync("rg1", "reference", Reference.Body()))["status"]!.GetValue<string>());
            Assert.Equal("Failed", (await server.DeployAsync("rg1", "broken", Reference.Body(certPassword: "wrong-password")))["status"]!.GetValue<string>());
            using var browser = server.NewClient(followRedirects: true);
            using (await SignInAsync(server, browser, server.Server.Credentials.ClientSecret)) { }

            var home = await PageAsync(browser, "/portal");
            Assert.Contains("<a href=\"/portal/resourcegroups/rg1\">rg1</a>", home.Html);

            var group = await PageAsync(browser, "/portal/resourcegroups/rg1");
            Assert.Matches(@"reference Succeeded \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \d{4}", group.Text);
            Assert.Matches(@"broken Failed [^{]*\{ ""error"": \{ ""code"": """, group.Text);
            Assert.Contains($"href=\"{GatewayPage}\"", group.Html);

            var gateway = await PageAsync(browser, GatewayPage);
            Assert.Contains("Frontend IP configurations Name Frontend Served on (local address:port) appGatewayFrontendIP public IP mtlsPip 127.0.0.2:8444 Listeners", gateway.Text);
            Assert.Contains("listener2 Https 444 any AppGwSslPolicy20220101 sslnotrustedcert Passthrough", gateway.Text);
            Assert.Contains("2000 rule2 Basic listener2 pool2 settings2", gateway.Text);
            Assert.Contains($"headerappgw.test: Unhealthy {probeLog}", gateway.Text);
            Assert.Contains("2026-11-27T10:00:02Z listener2 502 203.0.113.9 NONE 10.1.0.5:80 0.012 2026-11-27T10:00:01Z listener2 200 203.0.113.9 PASSTHROUGH 10.1.0.4:80 0.012", gateway.Text);
            Assert.DoesNotContain("otherListener", gateway.Text);
            Assert.Contains("2026-11-27T10:00:03Z Blocked OWASP_CRS 949110 Inbound Anomaly Score Exceeded (Total Score: 5) /?id=1' 203.0.113.9 Global mtlsAppGw", gateway.Text);
            Assert.Contains("\"verifyClientAuthMode\": \"Passthrough\"", gateway.Text);
            Assert.Contains("<option selected>2025-03-01</option>", gateway.Html);

            var older = await PageAsync(browser, $"{GatewayPage}?api-version=2024-07-01");
            Assert.DoesNotContain("verifyClientAuthMode", older.Text);
            Assert.Contains("\"sslProfiles\"", older.Text);
            Assert.Contains("<option selected>2024-07-01</option>", older.Html);

            // What the page's script asks for to keep health current: the pools alone.
            var live = await PageAsync(browser, $"{GatewayPage}?part=backend-health");
            Assert.StartsWith("<table>", live.Html);
            Assert.Equal($"Name Addresses Live health pool2 headerappgw-hsa5gjh8fpfebcfd.westus-01.azurewebsites.net headerappgw.test: Unhealthy {probeLog}", live.Text.Trim());

            foreach (var page in new[] { home, group, gateway, older, live })
            {
                foreach (var secret in new[] { Reference.CertPassword, "wrong-password", Reference.CertData[..40], server.Server.Credentials.ClientSecret })
                {
                    Assert.DoesNotContain(secret, page.Text);
                    Assert.DoesNotContain(secret, page.Html);
                }
            }
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Markup_in_a_deployed_resource_is_shown_as_text_never_run()
    {
        const string markup = "<script>alert(1)</script>";
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        var template = new JsonObject
        {
            ["$schema"] = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            ["contentVersion"] = "1.0.0.0",
            ["resources"] = new JsonArray(new JsonObject
            {
                ["type"] = "Microsoft.Network/publicIPAddresses",
                ["apiVersion"] = "2024-07-01",
                ["name"] = "pip1",
                ["location"] = "local",
                ["tags"] = new JsonObject { ["note"] = markup },
                ["properties"] = new JsonObject { ["publicIPAllocationMethod"] = "Static" },
            }),
        };
        var deployed = await server.DeployAsync("rg1", "tagged", new JsonObject { ["properties"] = new JsonObject { ["mode"] = "Incremental", ["template"] = template } });
        Assert.Equal("Succeeded", deployed["status"]!.GetValue<string>());
        using var browser = server.NewClient(followRedirects: true);
        using (await SignInAsync(server, browser, server.Server.Credentials.ClientSecret)) { }

        foreach (var path in new[] { "/portal/resourcegroups/rg1", "/portal/resourcegroups/rg1/providers/Microsoft.Network/publicIPAddresses/pip1" })
        {
            var page = await PageAsync(browser, path);
            Assert.Contains(markup, page.Text);
            Assert.DoesNotContain("<script", page.Html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;", page.Html);
        }
        // A path segment keeps an encoded '/', so this markup in a name has none.
        const string inName = "<img src=x onerror=alert(1)>";
        using var missing = await browser.GetAsync($"/portal/resourcegroups/{Uri.EscapeDataString(inName)}");
        var missingHtml = await missing.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains($"Resource group '{inName}' could not be found.", VisibleText(missingHtml));
        Assert.DoesNotContain("<img", missingHtml, StringComparison.OrdinalIgnoreCase);
    }

    private static Task<HttpResponseMessage> SignInAsync(RunningServer server, HttpClient browser, string secret) =>
        browser.PostAsync(SignIn, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = server.Server.Credentials.ClientId,
            ["client_secret"] = secret,
        }));

    private static async Task<(string Html, string Text)> PageAsync(HttpClient browser, string path)
    {
        using var response = await browser.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && response.RequestMessage?.RequestUri?.AbsolutePath == path.Split('?')[0], $"{path}: {response.StatusCode} {html}");
        return (html, VisibleText(html));
    }

    /// <summary>What a reader sees: the text without the tags, entities decoded, runs of white space as one space.</summary>
    private static string VisibleText(string html) =>
        Whitespace().Replace(WebUtility.HtmlDecode(Tags().Replace(Head().Replace(html, " "), " ")), " ");

    private static string AccessLine(string gatewayId, string listener, int status, string verify, string server) => new JsonObject
    {
        ["timeStamp"] = status == 200 ? "2026-11-27T10:00:01Z" : "2026-11-27T10:00:02Z",
        ["resourceId"] = gatewayId,
        ["listenerName"] = listener,
        ["properties"] = new JsonObject
        {
            ["clientIP"] = "203.0.113.9",
            ["httpStatus"] = status,
            ["sslClientVerify"] = verify,
            ["serverRouted"] = server,
            ["timeTaken"] = 0.012,
        },
    }.ToJsonString();

    [GeneratedRegex("<head>.*</head>", RegexOptions.Singleline)]
    private static partial Regex Head();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private sealed record PortalMonitor(string AccessLogPath, string FirewallLogPath, IReadOnlyList<BackendMemberHealth> BackendHealth) : IGatewayMonitor
    {
        public string MeterName { get; } = $"Gatehouse.Tests.{Guid.NewGuid():N}";

        public string ResourceIdDimension => "ResourceId";

        public IReadOnlyList<UnreadableCertificateStatus> UnreadableCertificates { get; init; } = [];

        public IReadOnlyList<ServedListener> ServedListeners { get; init; } = [];

        string? IGatewayMonitor.AccessLogPath => AccessLogPath;

        string? IGatewayMonitor.FirewallLogPath => FirewallLogPath;
    }
}
