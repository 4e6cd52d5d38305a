using System.Text.RegularExpressions;
using Gatehouse.Control;
using Gatehouse.Demo;
using Microsoft.Playwright;

namespace Gatehouse.Tests;

/// <summary>
/// The quickstart's own check and a backend outage, seen in a real browser (Debian's Chromium, which .ci/run installs)
/// on the portal of a real <c>serve</c> whose data plane forwards to a real backend.
/// </summary>
public sealed partial class PortalBrowserTests(DeployedGateway gateway) : IClassFixture<DeployedGateway>
{
    [GeneratedRegex(@"^\d+(\.\d+)?,\d+(\.\d+)?")]
    private static partial Regex Point();

    private const string Chromium = "/usr/bin/chromium";

    // Passive detection marks the member down at once; this bounds the portal's refresh and a slow machine.
    private static readonly LocatorAssertionsToContainTextOptions WithinHealthWait = new() { Timeout = 30_000 };

    private static readonly string[] Charts =
    [
        "TotalRequests", "FailedRequests", "ResponseStatus", "Throughput", "CurrentConnections", "NewConnectionsPerSecond",
        "BackendLastByteResponseTime", "HealthyHostCount", "UnhealthyHostCount",
    ];

    [Fact]
    public async Task A_browser_signs_in_reads_passthrough_at_2025_03_01_and_sees_a_stopped_backend_go_unhealthy_without_reloading()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (.ci/run does).");
        var managementUrl = ServeRegistration.Read(gateway.DataDirectory)!;
        var credentials = Credentials.Load(gateway.DataDirectory);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Timeout = 60_000,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        // The management API's certificate comes from the data directory's own CA, which this throwaway profile does not hold.
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true, BaseURL = managementUrl.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/portal");
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(managementUrl, "/portal/signin").ToString());
        await page.GetByLabel("Client id").FillAsync(credentials.ClientId);
        // Playwright writes what Fill and keyboard input typed into its call log, which a failure prints; an evaluate argument it never shows.
        await page.GetByLabel("Client secret").EvaluateAsync("(input, secret) => { input.value = secret; }", credentials.ClientSecret);
        await page.GetByLabel("Client secret").FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await page.GetByRole(AriaRole.Link, new() { Name = DeployedGateway.Group, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "mtlsAppGw", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("mtlsAppGw");
        var json = page.Locator("pre");

        await page.GetByLabel("API version", new() { Exact = true }).SelectOptionAsync("2024-07-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(json).Not.ToContainTextAsync("verifyClientAuthMode");

        await page.GetByLabel("API version", new() { Exact = true }).SelectOptionAsync("2025-03-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(json).ToContainTextAsync("\"verifyClientAuthMode\": \"Passthrough\"");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "listener2" }).First).ToContainTextAsync("Passthrough");

        var pool = page.GetByRole(AriaRole.Region, new() { Name = "Backend pools" }).GetByRole(AriaRole.Row, new() { Name = "pool2" });
        await Assertions.Expect(pool).ToContainTextAsync($"{UpCommand.ExampleBackendHost}: Healthy", WithinHealthWait);
        await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Update live health every 3 seconds" })).ToBeCheckedAsync();

        // A short load, then every chart has a line with points: the unfinished minute is drawn too.
        for (var i = 0; i < 10; i++) await gateway.GetThroughGatewayAsync();
        await page.ReloadAsync();
        foreach (var metric in Charts)
            await Assertions.Expect(page.Locator($"figure[data-metric=\"{metric}\"] polyline").First).ToHaveAttributeAsync("points", Point());
        await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Update metrics every 10 seconds" })).ToBeCheckedAsync();
        await page.Locator("#metrics").ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "portal-metrics.png") });
        // Set only in this document: if anything reloaded the page, it would be gone.
        await page.EvaluateAsync("() => { window.sameDocument = true; }");

        await gateway.StopBackendAsync();
        // A request that cannot reach the backend marks its member down (passive detection), long before a 30 s probe would.
        var refused = await GatehouseProcess.CurlAsync("--cacert", gateway.Certificates.CaPem, "--output", "/dev/null", "--write-out", "%{http_code}", gateway.Url);
        Assert.Equal("502", refused.Stdout);

        await Assertions.Expect(pool).ToContainTextAsync($"{UpCommand.ExampleBackendHost}: Unhealthy", WithinHealthWait);
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "The page was reloaded; the health should have changed in place.");
        await Assertions.Expect(json).ToContainTextAsync("\"verifyClientAuthMode\": \"Passthrough\"");
    }
}
