using System.CommandLine;

namespace Gatehouse.Cli;

/// <summary><c>gatehouse instance list</c>: the instances sharing the store of the <c>serve</c> found through <c>--data-dir</c>.</summary>
public static class InstanceCommands
{
    public static Command Build()
    {
        var dataDir = CommonOptions.DataDir();
        var list = new Command("list", "The instances sharing the store: the revision each serves, its last report, and each gateway's capacity against them.") { dataDir };
        list.SetClientAction(dataDir, async (client, _, cancellationToken) => Output.Response(await client.SendAsync(HttpMethod.Get,
            $"subscriptions/{client.SubscriptionId}/providers/Gatehouse/instances?api-version={GroupCommands.ApiVersion}", cancellationToken: cancellationToken)));
        return new Command("instance", "See the instances that serve the gateways.") { list };
    }
}
