using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.Components;

/// <summary>
/// <c>Microsoft.Insights/components</c> (Application Insights): an instrumentation key made once and kept across
/// redeploys, and the connection string that carries it with the region's ingestion endpoint.
/// </summary>
internal static class ComponentResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.Insights/components") { Compute = Compute };

    private static void Compute(JsonObject body, ProvisionContext context)
    {
        var properties = body.Properties();
        var key = DeclaredResourceType.Generated(context.Previous.Properties(), "InstrumentationKey");
        var region = DeclaredResourceType.RegionName(body);
        properties["InstrumentationKey"] = key;
        properties["AppId"] = DeclaredResourceType.Generated(context.Previous.Properties(), "AppId");
        properties["ConnectionString"] =
            $"InstrumentationKey={key};IngestionEndpoint=https://{region}.in.applicationinsights.azure.com/;LiveEndpoint=https://{region}.livediagnostics.monitor.azure.com/";
    }
}
