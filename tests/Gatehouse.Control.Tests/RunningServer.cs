using Gatehouse.Control.Security;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Control.Tests;

/// <summary>A real <see cref="ManagementServer"/> on 127.0.0.1 with an OS-assigned port, and an HttpClient that trusts only its CA.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    public const string ApiVersion = "api-version=2021-04-01";

    private readonly bool _ownsDirectory;
    private bool _stopped;

    private RunningServer(ManagementServer server, string dataDirectory, bool ownsDirectory, RecordingRuntime runtime, CapturingLoggerProvider logs, ILoggerFactory loggerFactory)
    {
        Server = server;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
        Runtime = runtime;
        Logs = logs;
        LoggerFactory = loggerFactory;
        Http = NewClient(followRedirects: true);
    }

    /// <summary>A client of its own (its own cookies) that trusts only the server's CA; a browser, when it follows redirects.</summary>
    public HttpClient NewClient(bool followRedirects)
    {
        return new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = followRedirects,
            SslOptions = ManagementTrust.ClientOptions(DataDirectory),
        })
        { BaseAddress = Server.ManagementUrl };
    }

    public ManagementServer Server { get; }

    public string DataDirectory { get; }

    public RecordingRuntime Runtime { get; }

    public CapturingLoggerProvider Logs { get; }

    private ILoggerFactory LoggerFactory { get; }

    public HttpClient Http { get; }

    public string Subscription => $"/subscriptions/{Server.Credentials.SubscriptionId}";

    /// <summary>On SQLite in the data directory, or with <paramref name="store"/> (a postgres:// URL) on a shared store.</summary>
    public static async Task<RunningServer> StartAsync(string? dataDirectory = null, RecordingRuntime? runtime = null, IGatewayMonitor? monitor = null,
        string? store = null, string? dataKeyFile = null)
    {
        var directory = dataDirectory ?? Directory.CreateTempSubdirectory("gatehouse-control-").FullName;
        var logs = new CapturingLoggerProvider();
        var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        runtime ??= new RecordingRuntime();
        var server = await ManagementServer.StartAsync(new ControlOptions(directory, 0, IPAddress.Loopback, monitor, Store: store, DataKeyFile: dataKeyFile), runtime, loggerFactory);
        return new RunningServer(server, directory, dataDirectory is null, runtime, logs, loggerFactory);
    }

    /// <summary>Signs in as az does (client credentials at the ADFS token endpoint) and sends the token from then on.</summary>
    public async Task<string> SignInAsync()
    {
        var token = await RequestTokenAsync(Server.Credentials.ClientSecret);
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return token;
    }

    public async Task<string> RequestTokenAsync(string secret)
    {
        using var response = await Http.PostAsync("adfs/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = Server.Credentials.ClientId,
            ["client_secret"] = secret,
            ["grant_type"] = "client_credentials",
            ["scope"] = "https://management.gatehouse.local//.default",
        }));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return response.IsSuccessStatusCode ? body["access_token"]!.GetValue<string>() : throw new HttpRequestException($"{(int)response.StatusCode} {body}");
    }

    public Task<Reply> SendAsync(HttpMethod method, string pathAndQuery, JsonNode? body = null) =>
        SendAsync(method, pathAndQuery, body?.ToJsonString());

    public async Task<Reply> SendAsync(HttpMethod method, string pathAndQuery, string? body)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text, text.Length == 0 ? null : JsonNode.Parse(text), response.Headers);
    }

    public Task<Reply> CreateResourceGroupAsync(string name) =>
        SendAsync(HttpMethod.Put, $"{Subscription}/resourcegroups/{name}?{ApiVersion}", new JsonObject { ["location"] = "local" });

    public string DeploymentPath(string resourceGroup, string name) =>
        $"{Subscription}/resourcegroups/{resourceGroup}/providers/Microsoft.Resources/deployments/{name}";

    public string GatewayPath(string resourceGroup) =>
        $"{Subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.Network/applicationGateways/{ReferenceDeployment.GatewayName}";

    /// <summary>PUTs a deployment (201 new, 200 again) and follows its Azure-AsyncOperation URL as az does; returns the final status body.</summary>
    public async Task<JsonNode> DeployAsync(string resourceGroup, string name, string body)
    {
        var started = await SendAsync(HttpMethod.Put, $"{DeploymentPath(resourceGroup, name)}?{ApiVersion}", body);
        Assert.True(started.Status is HttpStatusCode.Created or HttpStatusCode.OK, started.Text);
        Assert.Equal("Running", started.Json!["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(1), started.Headers.RetryAfter?.Delta);
        Assert.True(started.Headers.Location?.IsAbsoluteUri, started.Headers.ToString());
        var operation = new Uri(started.Headers.GetValues("Azure-AsyncOperation").Single());
        Assert.True(operation.IsAbsoluteUri);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var status = await SendAsync(HttpMethod.Get, operation.PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, status.Status);
            if (status.Json!["status"]!.GetValue<string>() != "Running") return status.Json;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Deployment {name} did not finish.");
    }

    public Task<JsonNode> DeployAsync(string resourceGroup, string name, JsonNode body) => DeployAsync(resourceGroup, name, body.ToJsonString());

    /// <summary>Asserts a 202 with an absolute Location and Retry-After as az needs them, and polls that Location once, as az's first poll.</summary>
    public async Task<Reply> FollowLocationAsync(Reply accepted)
    {
        Assert.True(accepted.Status == HttpStatusCode.Accepted, accepted.Text);
        Assert.Equal(TimeSpan.FromSeconds(1), accepted.Headers.RetryAfter?.Delta);
        var location = accepted.Headers.Location!;
        Assert.True(location.IsAbsoluteUri);
        Assert.Contains("/providers/Microsoft.Resources/locations/local/operationResults/", location.AbsolutePath);
        var result = await SendAsync(HttpMethod.Get, location.PathAndQuery);
        Assert.True(result.Status == HttpStatusCode.OK, result.Text);
        return result;
    }

    /// <summary>POSTs a what-if as az does and returns its changes, keyed by resource name.</summary>
    public async Task<Dictionary<string, JsonNode>> WhatIfAsync(string resourceGroup, string name, JsonObject body)
    {
        body["properties"]!["whatIfSettings"] = new JsonObject { ["resultFormat"] = "FullResourcePayloads" };
        var result = await FollowLocationAsync(await SendAsync(HttpMethod.Post, $"{DeploymentPath(resourceGroup, name)}/whatIf?{ApiVersion}", body));
        Assert.Equal("Succeeded", result.Json!["status"]!.GetValue<string>());
        return result.Json["properties"]!["changes"]!.AsArray().ToDictionary(c => c!["resourceId"]!.GetValue<string>().Split('/')[^1], c => c!);
    }

    /// <summary>Stops the server but keeps the data directory, for a restart on it.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        Http.Dispose();
        await Server.DisposeAsync();
        LoggerFactory.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsDirectory) Directory.Delete(DataDirectory, recursive: true);
    }
}

public sealed record Reply(HttpStatusCode Status, string Text, JsonNode? Json, HttpResponseHeaders Headers)
{
    public string? ErrorCode => Json?["error"]?["code"]?.GetValue<string>();
}
