using System.CommandLine;
using System.Text.Json.Nodes;
using Gatehouse.Control;

namespace Gatehouse.Cli;

/// <summary><c>gatehouse credentials show</c>: the service principal and the az set-up that uses it.</summary>
public static class CredentialsCommands
{
    public static Command Build()
    {
        var credentials = new Command("credentials", "Show how to sign in to the management API.");
        var dataDir = CommonOptions.DataDir();
        var output = new Option<string>("--output", "-o") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        var show = new Command("show", "Print the client id and secret, and the az commands that use them.") { dataDir, output };
        show.SetAction(result => Output.Guard(() =>
        {
            var directory = DataDirectory.Resolve(result.GetValue(dataDir));
            var stored = Credentials.Load(directory);
            var managementUrl = ServeRegistration.Read(directory)?.ToString() ?? $"https://127.0.0.1:{Hosting.ServeCommand.DefaultManagementPort}/";
            var caFile = Path.Combine(directory, ManagementServer.CaFileName);
            // The management port is also the HTTPS proxy to the local Key Vault's https://{vault}.vault.azure.net.
            var keyVaultProxy = $"http://{new Uri(managementUrl).Authority}";
            if (result.GetValue(output) == "json")
                return Task.FromResult(Output.Result(new JsonObject
                {
                    ["clientId"] = stored.ClientId,
                    ["clientSecret"] = stored.ClientSecret,
                    ["tenantId"] = stored.TenantId,
                    ["subscriptionId"] = stored.SubscriptionId,
                    ["managementUrl"] = managementUrl,
                    ["caFile"] = caFile,
                    ["keyVaultProxy"] = keyVaultProxy,
                }));
            Console.WriteLine($"""
                clientId:       {stored.ClientId}
                clientSecret:   {stored.ClientSecret}
                tenantId:       {stored.TenantId}
                subscriptionId: {stored.SubscriptionId}

                Sign the Azure CLI in once:
                  export REQUESTS_CA_BUNDLE={caFile}
                  az cloud register -n Gatehouse --endpoint-resource-manager {managementUrl} --endpoint-active-directory {managementUrl}adfs --endpoint-active-directory-resource-id https://management.gatehouse.local/ --endpoint-active-directory-graph-resource-id https://graph.gatehouse.local/
                  az cloud set -n Gatehouse
                  az login --service-principal -u {stored.ClientId} -p {stored.ClientSecret} --tenant {stored.TenantId}

                Reach the local Key Vault (https://VAULT.vault.azure.net) through the management port as proxy:
                  export HTTPS_PROXY={keyVaultProxy} NO_PROXY={new Uri(managementUrl).Host}
                  az rest --method get --url "https://VAULT.vault.azure.net/secrets/NAME?api-version=7.4" --resource https://vault.azure.net
                """);
            return Task.FromResult(0);
        }));
        credentials.Subcommands.Add(show);
        return credentials;
    }
}
