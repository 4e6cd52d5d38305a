using System.Net;
using System.Net.Http.Headers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Gatehouse.Control.Tests;

public sealed class SecurityTests
{
    [Fact]
    public void Service_principal_secrets_never_contain_a_dash_that_az_login_would_take_for_an_option()
    {
        var secrets = Enumerable.Range(0, 40).Select(_ =>
        {
            var directory = Directory.CreateTempSubdirectory("gatehouse-credentials-");
            try { return Credentials.Load(directory.FullName).ClientSecret; }
            finally { directory.Delete(recursive: true); }
        }).ToList();
        Assert.All(secrets, secret => Assert.DoesNotContain('-', secret));
        Assert.Equal(secrets.Count, secrets.Distinct().Count());
    }

    [Fact]
    public async Task Token_endpoint_issues_a_token_for_the_right_secret_only()
    {
        await using var server = await RunningServer.StartAsync();

        var rejected = await Assert.ThrowsAsync<HttpRequestException>(() => server.RequestTokenAsync("not-the-secret"));
        Assert.Contains("401", rejected.Message);
        Assert.Contains("invalid_client", rejected.Message);

        var token = await server.SignInAsync();
        Assert.False(string.IsNullOrEmpty(token));
        var subscriptions = await server.SendAsync(HttpMethod.Get, "subscriptions?api-version=2019-11-01");
        Assert.Equal(HttpStatusCode.OK, subscriptions.Status);
        var subscription = Assert.Single(subscriptions.Json!["value"]!.AsArray())!;
        Assert.Equal(server.Server.Credentials.SubscriptionId, subscription["subscriptionId"]!.GetValue<string>());
        Assert.Equal(server.Server.Credentials.TenantId, subscription["tenantId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Arm_routes_require_a_valid_bearer_token_and_an_api_version()
    {
        await using var server = await RunningServer.StartAsync();

        var anonymous = await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourcegroups?{RunningServer.ApiVersion}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal("AuthenticationFailed", anonymous.ErrorCode);

        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "eyJjaWQiOiJ4In0.Zm9yZ2Vk");
        var forged = await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourcegroups?{RunningServer.ApiVersion}");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.Status);

        await server.SignInAsync();
        var noVersion = await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourcegroups");
        Assert.Equal(HttpStatusCode.BadRequest, noVersion.Status);
        Assert.Equal("MissingApiVersionParameter", noVersion.ErrorCode);

        var otherSubscription = await server.SendAsync(HttpMethod.Get, $"/subscriptions/{Guid.NewGuid()}/resourcegroups?{RunningServer.ApiVersion}");
        Assert.Equal(HttpStatusCode.NotFound, otherSubscription.Status);
        Assert.Equal("SubscriptionNotFound", otherSubscription.ErrorCode);
    }

    [Fact]
    public async Task Discovery_endpoints_need_no_token_and_tolerate_az_double_slashes()
    {
        await using var server = await RunningServer.StartAsync();

        var openid = await server.SendAsync(HttpMethod.Get, "adfs/.well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.OK, openid.Status);
        Assert.Equal(new Uri(server.Server.ManagementUrl, "adfs/oauth2/token"), new Uri(openid.Json!["token_endpoint"]!.GetValue<string>()));

        var metadata = await server.SendAsync(HttpMethod.Get, server.Server.ManagementUrl + "/metadata/endpoints?api-version=2015-01-01");
        Assert.Equal(HttpStatusCode.OK, metadata.Status);
        Assert.EndsWith("/adfs", metadata.Json!["authentication"]!["loginEndpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task First_start_creates_owner_only_secrets_the_ca_and_the_serve_registration()
    {
        var parent = Directory.CreateTempSubdirectory("gatehouse-control-").FullName;
        var server = await RunningServer.StartAsync(Path.Combine(parent, "data"));
        try
        {
            var directory = server.DataDirectory;
            Assert.Equal(server.Server.ManagementUrl, ServeRegistration.Read(directory));
            Assert.StartsWith("https://127.0.0.1:", server.Server.ManagementUrl.ToString());
            Assert.Contains("BEGIN CERTIFICATE", await File.ReadAllTextAsync(Path.Combine(directory, ManagementServer.CaFileName)));
            Assert.True(File.Exists(Path.Combine(directory, "gatehouse.db")));
            Assert.Equal(server.Server.Credentials, Credentials.Load(directory));
            Assert.DoesNotContain(server.Server.Credentials.ClientSecret, server.Server.Credentials.ToString());
            if (!OperatingSystem.IsWindows())
            {
                foreach (var secret in new[] { "credentials.json", "token-signing.key", "data-encryption.key", "management-ca-key.pem", "management-server-key.pem" })
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, secret)));
            }
        }
        finally
        {
            await server.StopAsync();
        }
        Assert.Null(ServeRegistration.Read(server.DataDirectory));
        Directory.Delete(parent, recursive: true);
    }

    [Fact]
    public async Task Every_file_in_the_data_directory_is_the_owners_alone_the_stores_own_files_too()
    {
        if (OperatingSystem.IsWindows()) return;
        var parent = Directory.CreateTempSubdirectory("gatehouse-control-").FullName;
        var directory = Path.Combine(parent, "data");
        try
        {
            await using (var server = await RunningServer.StartAsync(directory))
            {
                await server.SignInAsync();
                // A write, so that SQLite has its -wal and -shm files.
                await server.CreateResourceGroupAsync("rg1");
                Assert.True(File.Exists(Path.Combine(directory, "gatehouse.db-wal")));

                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
                foreach (var path in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories))
                    Assert.True(File.GetUnixFileMode(path) == (Directory.Exists(path)
                        ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                        : UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{path}: {File.GetUnixFileMode(path)}");
            }
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Theory]
    [InlineData("scope", "https://management.azure.com//.default")]
    [InlineData("scope", "api://other/.default")]
    [InlineData("resource", "https://graph.gatehouse.local/")]
    [InlineData("client_info", "1")]
    public async Task Tokens_are_issued_for_the_management_endpoint_and_Key_Vault_only(string field, string value)
    {
        await using var server = await RunningServer.StartAsync();

        using var refused = await RequestTokenAsync(server, server.Server.Credentials.ClientSecret, (field, value));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.DoesNotContain("access_token", await refused.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("scope", "https://management.gatehouse.local//.default")]
    [InlineData("scope", "https://management.gatehouse.local/.default offline_access")]
    [InlineData("resource", "https://management.gatehouse.local/")]
    public async Task The_management_endpoint_is_asked_for_as_az_and_ADFS_clients_ask(string field, string value)
    {
        await using var server = await RunningServer.StartAsync();

        using var issued = await RequestTokenAsync(server, server.Server.Credentials.ClientSecret, (field, value));

        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            JsonNode.Parse(await issued.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourcegroups?{RunningServer.ApiVersion}")).Status);
    }

    /// <summary>
    /// Tokens signed with the server's own key (as one issued before audiences, or by a bug), whose fields are wrong: no
    /// audience or another, an expiry no token is issued with, fields of the wrong type.
    /// </summary>
    [Theory]
    [InlineData("""{"Cid":"{cid}","Aud":"https://management.azure.com/","Exp":{exp}}""")]
    [InlineData("""{"Cid":"{cid}","Exp":{exp}}""")]
    [InlineData("""{"Cid":"{cid}","Aud":"https://management.gatehouse.local/","Exp":9223372036854775807}""")]
    [InlineData("""{"Cid":"{cid}","Aud":"https://management.gatehouse.local/","Exp":-9223372036854775808}""")]
    [InlineData("""{"Cid":"{cid}","Aud":"https://management.gatehouse.local/","Exp":1e400}""")]
    [InlineData("""{"Cid":"{cid}","Aud":"https://management.gatehouse.local/","Exp":"soon"}""")]
    [InlineData("""{"Cid":5,"Aud":"https://management.gatehouse.local/","Exp":{exp}}""")]
    [InlineData("""null""")]
    [InlineData("""[]""")]
    public async Task A_token_whose_fields_are_wrong_or_out_of_range_is_refused_401(string payload)
    {
        await using var server = await RunningServer.StartAsync();
        // An expiry within a token's lifetime, so that only the field under test is wrong.
        var expiry = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var claims = Encoding.UTF8.GetBytes(payload.Replace("{cid}", server.Server.Credentials.ClientId).Replace("{exp}", expiry));
        var key = await File.ReadAllBytesAsync(Path.Combine(server.DataDirectory, "token-signing.key"));
        var token = $"{Base64Url.EncodeToString(claims)}.{Base64Url.EncodeToString(HMACSHA256.HashData(key, claims))}";
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var refused = await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourcegroups?{RunningServer.ApiVersion}");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("AuthenticationFailed", refused.ErrorCode);
    }

    [Fact]
    public async Task Secret_guesses_are_rate_limited_per_client_with_429_and_Retry_After_at_the_token_endpoint_and_the_portal()
    {
        await using var server = await RunningServer.StartAsync();
        const int guesses = 300;
        var answers = new List<(string Endpoint, HttpResponseMessage Response)>();
        try
        {
            // Half at each endpoint, ten at a time: far more than any real client signs in.
            for (var sent = 0; sent < guesses; sent += 10)
            {
                var batch = Enumerable.Range(0, 10).Select(async i => i % 2 == 0
                    ? ("token", await RequestTokenAsync(server, "guess"))
                    : ("portal", await server.Http.PostAsync("portal/signin", new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["client_id"] = server.Server.Credentials.ClientId,
                        ["client_secret"] = "guess",
                    }))));
                answers.AddRange(await Task.WhenAll(batch));
            }

            Assert.All(answers, a => Assert.Contains(a.Response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
            TimeSpan retryAfter = default;
            foreach (var endpoint in new[] { "token", "portal" })
            {
                var limited = answers.Where(a => a.Endpoint == endpoint && a.Response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
                Assert.True(limited.Count > 0, $"the {endpoint} endpoint never answered 429");
                retryAfter = limited[^1].Response.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("429 without Retry-After");
                Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
            }

            // Once the client waits as told, the right secret works again.
            await Task.Delay(retryAfter);
            Assert.False(string.IsNullOrEmpty(await server.SignInAsync()));
        }
        finally
        {
            foreach (var (_, response) in answers) response.Dispose();
        }
    }

    private static Task<HttpResponseMessage> RequestTokenAsync(RunningServer server, string secret, params (string Name, string Value)[] fields) =>
        server.Http.PostAsync("adfs/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = server.Server.Credentials.ClientId,
            ["client_secret"] = secret,
            ["grant_type"] = "client_credentials",
        }.Concat(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)))));

    [Fact]
    public async Task Provider_registration_lists_network_resource_types_with_api_versions()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();

        var provider = await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/providers/Microsoft.Network?{RunningServer.ApiVersion}");

        Assert.Equal(HttpStatusCode.OK, provider.Status);
        var gateways = provider.Json!["resourceTypes"]!.AsArray().Single(t => t!["resourceType"]!.GetValue<string>() == "applicationGateways")!;
        Assert.Contains("2025-03-01", gateways["apiVersions"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("InvalidResourceNamespace", (await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/providers/Microsoft.Nope?{RunningServer.ApiVersion}")).ErrorCode);
    }

    [Fact]
    public async Task Network_discovery_endpoints_serve_the_tls_policies_and_server_variables()
    {
        await using var server = await RunningServer.StartAsync();
        var options = $"{server.Subscription}/providers/Microsoft.Network/applicationGatewayAvailableSslOptions/default";
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.SendAsync(HttpMethod.Get, $"{options}?api-version=2025-03-01")).Status);
        await server.SignInAsync();

        var shown = (await server.SendAsync(HttpMethod.Get, $"{options}?api-version=2025-03-01")).Json!["properties"]!;
        Assert.Equal("AppGwSslPolicy20220101", shown["defaultPolicy"]!.GetValue<string>());
        Assert.Contains("TLSv1_3", shown["availableProtocols"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(5, shown["predefinedPolicies"]!.AsArray().Count);
        var policies = await server.SendAsync(HttpMethod.Get, $"{options}/predefinedPolicies?api-version=2025-03-01");
        Assert.Equal(5, policies.Json!["value"]!.AsArray().Count);
        var strict = await server.SendAsync(HttpMethod.Get, $"{options}/predefinedPolicies/appgwsslpolicy20220101s?api-version=2025-03-01");
        Assert.Equal("TLSv1_2", strict.Json!["properties"]!["minProtocolVersion"]!.GetValue<string>());
        Assert.DoesNotContain("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", strict.Json["properties"]!["cipherSuites"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, $"{options}/predefinedPolicies/Nope?api-version=2025-03-01")).Status);

        var variables = await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/providers/Microsoft.Network/applicationGatewayAvailableServerVariables?api-version=2025-03-01");
        Assert.Contains("client_certificate", variables.Json!.AsArray().Select(v => v!.GetValue<string>()));
        var headers = await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/providers/Microsoft.Network/applicationGatewayAvailableRequestHeaders?api-version=2025-03-01");
        Assert.Contains("X-Forwarded-For", headers.Json!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task Resource_group_lifecycle()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        var group = $"{server.Subscription}/resourceGroups/Rg1?{RunningServer.ApiVersion}";

        Assert.Equal(HttpStatusCode.Created, (await server.CreateResourceGroupAsync("Rg1")).Status);
        var again = await server.SendAsync(HttpMethod.Put, $"{server.Subscription}/resourcegroups/rg1?{RunningServer.ApiVersion}",
            new JsonObject { ["location"] = "local", ["tags"] = new JsonObject { ["team"] = "edge" } });
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("Rg1", again.Json!["name"]!.GetValue<string>());

        var shown = await server.SendAsync(HttpMethod.Get, group);
        Assert.Equal($"{server.Subscription}/resourceGroups/Rg1", shown.Json!["id"]!.GetValue<string>());
        Assert.Equal("edge", shown.Json["tags"]!["team"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Head, group)).Status);
        var list = await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourcegroups/?{RunningServer.ApiVersion}");
        Assert.Single(list.Json!["value"]!.AsArray());

        var moved = await server.SendAsync(HttpMethod.Put, group, new JsonObject { ["location"] = "elsewhere" });
        Assert.Equal(HttpStatusCode.Conflict, moved.Status);
        Assert.Equal("InvalidResourceGroupLocation", moved.ErrorCode);

        await server.FollowLocationAsync(await server.SendAsync(HttpMethod.Delete, group));
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Head, group)).Status);
        var missing = await server.SendAsync(HttpMethod.Get, group);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("ResourceGroupNotFound", missing.ErrorCode);
    }
}
