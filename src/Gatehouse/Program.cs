using System.CommandLine;
using Gatehouse.Cli;
using Gatehouse.Demo;
using Gatehouse.Hosting;

var root = new RootCommand("Gatehouse: Azure Application Gateway ARM templates, served for real.")
{
    ServeCommand.Build(),
    UpCommand.Build(),
    GroupCommands.Build(),
    DeploymentCommands.Build(),
    ApplicationGatewayCommands.Build(),
    CredentialsCommands.Build(),
};

// '@file' is az's parameter-file syntax here, not a response file.
return await root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null }).InvokeAsync();
