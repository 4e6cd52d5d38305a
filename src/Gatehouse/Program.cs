using System.CommandLine;
using Gatehouse.Cli;
using Gatehouse.Demo;
using Gatehouse.Hosting;

// Socket completions run inline on the event thread, paired with Kestrel's inline scheduling in the gateway's
// listeners; read once when the first socket opens, so it is set before anything else runs.
const string inlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(inlineCompletions) is null)
    Environment.SetEnvironmentVariable(inlineCompletions, "1");

var root = new RootCommand("Gatehouse: Azure Application Gateway ARM templates, served for real.")
{
    ServeCommand.Build(),
    UpCommand.Build(),
    GroupCommands.Build(),
    DeploymentCommands.Build(),
    ApplicationGatewayCommands.Build(),
    CredentialsCommands.Build(),
    AdCommands.Build(),
    LogsCommand.Build(),
    InstanceCommands.Build(),
};

// '@file' is az's parameter-file syntax here, not a response file.
return await root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null }).InvokeAsync();
