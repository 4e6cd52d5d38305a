using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Control.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Tests;

/// <summary>
/// The mixed-traffic example (the reference Passthrough listener with an Entra JWT validation) deployed by a real
/// serve, whose built-in issuer has two applications: the API the tokens are for and a client that asks for them.
/// </summary>
public abstract class EntraGateway(string unAuthorizedRequestAction) : IAsyncLifetime
{
    public DeployedGateway Gateway { get; private set; } = null!;
    public RegisteredApp Api { get; private set; } = null!;
    public RegisteredApp Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gateway = new DeployedGateway("deploymentTemplate.mixed-traffic.json", async gateway =>
        {
            Api = await RegisteredApp.CreateAsync(gateway.DataDirectory, "api");
            Client = await RegisteredApp.CreateAsync(gateway.DataDirectory, "client");
            return ["entraTenantId=" + Api.Tenant, "entraClientId=" + Api.AppId, "unAuthorizedRequestAction=" + unAuthorizedRequestAction];
        });
        await Gateway.InitializeAsync();
    }

    public Task DisposeAsync() => Gateway.DisposeAsync();

    /// <summary>A token from the issuer's token endpoint, as any client gets one.</summary>
    public async Task<string> TokenAsync(string? forAppId = null)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, SslOptions = ManagementTrust.ClientOptions(Gateway.DataDirectory) });
        using var response = await http.PostAsync(Client.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Client.AppId,
            ["client_secret"] = Client.Password,
            ["scope"] = $"api://{forAppId ?? Api.AppId}/.default",
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (string?)body?["access_token"] ?? throw new InvalidOperationException($"No token: {body}");
    }

    /// <summary>
    /// A token made here with the claims a good one has, changed by <paramref name="edit"/>, and signed with the issuer's
    /// current key (read from its data directory) unless <paramref name="key"/> is given.
    /// </summary>
    public string Forge(Action<SecurityTokenDescriptor> edit, RsaSecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = $"{Client.Authority}/{Api.Tenant}/v2.0",
            Audience = Api.AppId,
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(key ?? SigningKey(), SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object> { ["tid"] = Api.Tenant, ["oid"] = Guid.NewGuid().ToString(), ["ver"] = "2.0" },
        };
        edit(descriptor);
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>The issuer's current signing key, with its kid.</summary>
    public RsaSecurityKey SigningKey()
    {
        var current = JsonNode.Parse(File.ReadAllText(Path.Combine(Gateway.DataDirectory, "entra-signing-keys.json")))![0]!;
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String((string)current["Pkcs8"]!), out _);
        return new RsaSecurityKey(rsa) { KeyId = (string)current["Kid"]! };
    }

    /// <summary>A request through the gateway with curl over TLS: its status, headers and body.</summary>
    public async Task<Reply> SendAsync(params string[] curlArguments)
    {
        var result = await GatehouseProcess.CurlAsync(["--include", "--cacert", Gateway.Certificates.CaPem, .. curlArguments, Gateway.Url]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var split = result.Stdout.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = result.Stdout[..split].Split("\r\n");
        return new Reply(int.Parse(head[0].Split(' ')[1]), head[1..], result.Stdout[(split + 4)..]);
    }

    public Task<Reply> SendWithTokenAsync(string token, params string[] curlArguments) =>
        SendAsync(["-H", "Authorization: Bearer " + token, .. curlArguments]);

    public sealed record Reply(int Status, string[] Headers, string Body)
    {
        /// <summary>The echo backend's view of the request; null when the gateway answered itself.</summary>
        public JsonObject? Echo => Body.StartsWith('{') ? JsonNode.Parse(Body)!.AsObject() : null;

        public string? BackendHeader(string name) => Echo is { } echo ? DeployedGateway.Header(echo, name) : null;

        public string? Header(string name) =>
            Headers.Select(h => h.Split(':', 2)).Where(h => h[0].Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h[1].Trim()).FirstOrDefault();
    }
}

public sealed class DenyingEntraGateway() : EntraGateway("Deny");

public sealed class AllowingEntraGateway() : EntraGateway("Allow");

/// <summary>What <c>gatehouse ad app create</c> printed.</summary>
public sealed record RegisteredApp(string AppId, string Password, string Tenant, string TokenEndpoint)
{
    /// <summary>The issuer's authority, what the token endpoint is under.</summary>
    public string Authority => TokenEndpoint[..TokenEndpoint.IndexOf($"/{Tenant}/", StringComparison.Ordinal)];

    public static async Task<RegisteredApp> CreateAsync(string dataDirectory, string name)
    {
        var created = await GatehouseProcess.RunGatehouseAsync("ad", "app", "create", "--display-name", name, "--output", "json", "--data-dir", dataDirectory);
        Assert.True(created.ExitCode == 0, created.ToString());
        return JsonSerializer.Deserialize<RegisteredApp>(created.Stdout, JsonSerializerOptions.Web)!;
    }
}
