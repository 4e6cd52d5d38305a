using System.Net.Http.Headers;
using System.Net.Security;
using System.Net;
using System.Text.Json.Nodes;
using System.Text;
using Gatehouse.Control.Security;
using Gatehouse.Control;
using Gatehouse.Errors;

namespace Gatehouse.Cli;

/// <summary>
/// Talks to a running <c>gatehouse serve</c> as the Azure CLI does: over HTTPS trusting only the management CA,
/// with a bearer token from the ADFS-style token endpoint.
/// </summary>
public sealed class ManagementClient : IDisposable
{
    private readonly HttpClient http;
    private readonly Credentials credentials;
    private string? token;

    private ManagementClient(Uri managementUrl, Credentials credentials, SslClientAuthenticationOptions tls)
    {
        this.credentials = credentials;
        var handler = new SocketsHttpHandler { UseProxy = false, SslOptions = tls };
        http = new HttpClient(handler) { BaseAddress = managementUrl, Timeout = TimeSpan.FromMinutes(5) };
    }

    public string SubscriptionId => credentials.SubscriptionId;

    public string TenantId => credentials.TenantId;

    /// <summary>For example <c>https://127.0.0.1:18010/</c>: also the local Entra-compatible issuer's authority.</summary>
    public Uri ManagementUrl => http.BaseAddress!;

    /// <summary>Finds the <c>serve</c> that uses <paramref name="dataDirectory"/>; fails with a clear message when none runs.</summary>
    public static ManagementClient Connect(string dataDirectory)
    {
        var managementUrl = ServeRegistration.Read(dataDirectory)
            ?? throw new ArmException("ServerNotRunning",
                $"No running 'gatehouse serve' uses the data directory {dataDirectory}. Start one with 'gatehouse serve --data-dir {dataDirectory}'.");
        return new ManagementClient(managementUrl, Credentials.Load(dataDirectory), ManagementTrust.ClientOptions(dataDirectory));
    }

    public async Task<ArmResponse> SendAsync(HttpMethod method, string pathAndQuery, JsonNode? body = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ??= await TokenAsync(cancellationToken));
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new ArmResponse(
            response.StatusCode,
            text.Length == 0 ? null : JsonNode.Parse(text),
            response.Headers.TryGetValues("Azure-AsyncOperation", out var operation) ? new Uri(operation.First()) : null,
            response.Headers.Location,
            response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
    }

    /// <summary>Follows a long-running operation until it ends, as az does; returns the final status body.</summary>
    public async Task<JsonNode> WaitAsync(ArmResponse started, CancellationToken cancellationToken = default)
    {
        var operation = started.AsyncOperation ?? throw new InvalidOperationException("The response started no long-running operation.");
        var delay = started.RetryAfter;
        for (var poll = 0; poll < MaxPolls; poll++)
        {
            await Task.Delay(delay, cancellationToken);
            var status = await SendAsync(HttpMethod.Get, operation.PathAndQuery, cancellationToken: cancellationToken);
            if (!status.IsSuccess) throw new ArmException(status.Error);
            if ((string?)status.Body?["status"] is not ("Running" or "Accepted" or "InProgress")) return status.Body!;
            delay = status.RetryAfter;
        }
        throw StillRunning(operation);
    }

    /// <summary>
    /// Follows a <c>202 Accepted</c> to its <c>Location</c> until that answers other than 202, as az does for what-if and
    /// group delete; returns that last response (or <paramref name="started"/> when it was already final).
    /// </summary>
    public async Task<ArmResponse> ResultAsync(ArmResponse started, CancellationToken cancellationToken = default)
    {
        var response = started;
        for (var poll = 0; poll < MaxPolls; poll++)
        {
            if (response is not { Status: HttpStatusCode.Accepted, Location: { } location }) return response;
            await Task.Delay(response.RetryAfter, cancellationToken);
            response = await SendAsync(HttpMethod.Get, location.PathAndQuery, cancellationToken: cancellationToken);
        }
        throw StillRunning(response.Location!);
    }

    // With Retry-After: 1 that is about ten minutes, longer than any deployment of a gateway takes.
    private const int MaxPolls = 600;

    private static ArmException StillRunning(Uri operation) =>
        new("OperationTimedOut", $"The operation did not finish after {MaxPolls} polls; its status is at {operation}.");

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = credentials.ClientId,
            ["client_secret"] = credentials.ClientSecret,
            ["scope"] = "https://management.gatehouse.local//.default",
        });
        using var response = await http.PostAsync("adfs/oauth2/token", form, cancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return (string?)body?["access_token"]
            ?? throw new ArmException("AuthenticationFailed", $"The management API refused the stored credentials ({(int)response.StatusCode}).");
    }

    public void Dispose() => http.Dispose();
}
