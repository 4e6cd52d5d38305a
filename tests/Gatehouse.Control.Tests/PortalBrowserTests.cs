using Microsoft.Playwright;

namespace Gatehouse.Control.Tests;

/// <summary>The quickstart's own check, done in a real browser (Debian's Chromium, which .ci/run installs) by keyboard and clicks.</summary>
public sealed class PortalBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task A_browser_signs_in_opens_the_reference_gateway_and_reads_passthrough_in_the_json_view_at_2025_03_01()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (.ci/run does).");
        var reference = ReferenceDeployment.Create();
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        await server.DeployAsync("rg1", "reference", reference.Body());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        // The management API's certificate comes from the data directory's own CA, which this throwaway profile does not hold.
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true, BaseURL = server.Server.ManagementUrl.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/portal");
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(server.Server.ManagementUrl, "/portal/signin").ToString());
        await page.GetByLabel("Client id").FillAsync(server.Server.Credentials.ClientId);
        await page.GetByLabel("Client secret").FillAsync(server.Server.Credentials.ClientSecret);
        await page.Keyboard.PressAsync("Enter");

        await page.GetByRole(AriaRole.Link, new() { Name = "rg1", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = ReferenceDeployment.GatewayName, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(ReferenceDeployment.GatewayName);
        var json = page.Locator("pre");

        await page.GetByLabel("API version", new() { Exact = true }).SelectOptionAsync("2024-07-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(json).Not.ToContainTextAsync("verifyClientAuthMode");

        await page.GetByLabel("API version", new() { Exact = true }).SelectOptionAsync("2025-03-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(json).ToContainTextAsync("\"verifyClientAuthMode\": \"Passthrough\"");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "listener2" }).First).ToContainTextAsync("Passthrough");
    }
}
