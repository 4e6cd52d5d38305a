using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Control.Api;
using Gatehouse.Control.Instances;
using Gatehouse.Control.Monitoring;
using Gatehouse.Control.Store;
using Gatehouse.Network;

namespace Gatehouse.Control.Portal;

/// <summary>
/// <c>/portal</c>: server-rendered pages over the store and the data plane's monitor, behind the portal's sign-in.
/// Paths mirror ARM ids (<c>/portal/resourcegroups/RG/providers/NS/type/name</c>), so a resource id reads as its page.
/// </summary>
internal static class PortalEndpoints
{
    // What the quickstart selects to read the SSL profile's client-authentication mode.
    private const string DefaultApiVersion = "2025-03-01";

    // The versions Azure's JSON view offers for an application gateway, newest first; any other can be typed into the query.
    private static readonly string[] ApiVersions =
        ["2025-03-01", "2024-10-01", "2024-07-01", "2024-05-01", "2024-03-01", "2024-01-01", "2023-11-01", "2023-09-01", "2023-06-01", "2023-05-01"];

    private static readonly JsonSerializerOptions Readable = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly (string, string)[] Home = [("Resource groups", "/portal")];

    public static void MapPortal(this IEndpointRouteBuilder app)
    {
        app.MapSignIn();
        // The script is the same for everyone and holds no data, so it needs no session.
        app.MapGet(LiveParts.ScriptPath, (HttpContext http) =>
        {
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Text(LiveParts.Script, "text/javascript; charset=utf-8");
        });
        var portal = app.MapGroup("/portal").RequirePortalSession();

        portal.MapGet("", (Credentials credentials, IResourceStore store, RunningInstance self) => PortalPage.Signed("Resource groups", [], Html.Of($"""
            {Table(["Name", "Location", "Tags"],
                store.ListResourceGroups(credentials.SubscriptionId).Select(g => Html.Of(
                    $"<tr><td><a href=\"{PortalPage.Link("resourcegroups", g.Name)}\">{g.Name}</a></td><td>{g.Location}</td><td>{Tags(g.Tags)}</td></tr>")))}
            {Instances(InstanceEndpoints.Read(store, self))}
            """)));

        portal.MapGet("/resourcegroups/{resourceGroupName}", (string resourceGroupName, Credentials credentials, IResourceStore store) =>
            store.GetResourceGroup(credentials.SubscriptionId, resourceGroupName) is { } group
                ? PortalPage.Signed(group.Name, Home, GroupBody(store, group))
                : NotFound($"Resource group '{resourceGroupName}' could not be found."));

        portal.MapGet("/resourcegroups/{resourceGroupName}/providers/{**resourcePath}", (string resourceGroupName, string resourcePath, HttpContext http, Credentials credentials, IResourceStore store) =>
        {
            var group = store.GetResourceGroup(credentials.SubscriptionId, resourceGroupName);
            var resource = group is null ? null : store.GetResource(ResourceIdentifier.ResourceId(group.SubscriptionId, group.Name, resourcePath));
            if (group is null || resource is null) return NotFound($"Resource '{resourcePath}' in resource group '{resourceGroupName}' could not be found.");
            var apiVersion = http.Request.Query["api-version"] is [{ Length: > 0 } requested] ? requested : DefaultApiVersion;
            var gateway = NetworkProvider.IsApplicationGateway(resource.Type) ? NetworkProvider.ReadApplicationGateway(resource) : null;
            var monitor = http.RequestServices.GetService<IGatewayMonitor>();
            var history = http.RequestServices.GetService<MetricHistory>();
            var range = http.Request.Query[MetricCharts.RangeParameter].ToString();
            if (gateway is not null && http.Request.Query["part"] == GatewayView.HealthPart) return PortalPage.Fragment(GatewayView.Pools(gateway, monitor));
            if (gateway is not null && http.Request.Query["part"] == MetricCharts.Part) return PortalPage.Fragment(MetricCharts.Charts(gateway.Id, history, range));
            var details = gateway is null ? Html.Empty
                : GatewayView.Render(gateway, monitor, MetricCharts.Region(gateway.Id, history, range, http.Request.Path),
                    id => store.GetResource(id) is { } stored && NetworkProvider.IsWafPolicy(stored.Type) ? NetworkProvider.ReadWafPolicy(stored) : null);
            return PortalPage.Signed(resource.Name, [.. Home, (group.Name, PortalPage.Link("resourcegroups", group.Name))], Html.Of(
                $"<p>{resource.Type}</p>{details}{JsonView(resource, apiVersion, http.Request.Path)}"));
        });
    }

    /// <summary>A table with a header row, or a plain "None." when there is nothing to list.</summary>
    public static Html Table(string[] headings, IEnumerable<Html> rows)
    {
        var body = rows.ToList();
        return body.Count == 0
            ? Html.Of($"<p>None.</p>")
            : Html.Of($"<table><thead><tr>{Html.Join(headings.Select(h => Html.Of($"<th scope=\"col\">{h}</th>")))}</tr></thead><tbody>{Html.Join(body)}</tbody></table>");
    }

    private static Html GroupBody(IResourceStore store, ResourceGroup group) => Html.Of($"""
        <h2>Deployments</h2>
        {Table(["Name", "Status", "Started", "Ended", "Error"], store.ListDeployments(group.SubscriptionId, group.Name)
            .OrderByDescending(d => d.Timestamp)
            .Select(d => Html.Of($"<tr><td>{d.Name}</td><td class=\"{(d.ProvisioningState == DeploymentStates.Failed ? "bad" : "")}\">{d.ProvisioningState}</td><td>{PortalPage.Time(d.Timestamp)}</td><td>{(d.EndTime is { } end ? PortalPage.Time(end) : "")}</td><td>{(d.Error is { } error ? Html.Of($"<pre>{error.ToResponse().ToJsonString(Readable)}</pre>") : Html.Empty)}</td></tr>")))}
        <h2>Resources</h2>
        {Table(["Name", "Type", "Location", "Tags"], store.ListResourcesInGroup(group.SubscriptionId, group.Name)
            .Select(r => Html.Of($"<tr><td><a href=\"{PortalPage.Link("resourcegroups", group.Name)}/providers/{r.Type}/{Uri.EscapeDataString(r.Name)}\">{r.Name}</a></td><td>{r.Type}</td><td>{r.Body["location"]?.ToString()}</td><td>{Tags(r.Body["tags"] as JsonObject)}</td></tr>")))}
        """);

    /// <summary>The instances sharing the store, this one marked, and each gateway's capacity against them.</summary>
    private static Html Instances(JsonObject view) => Html.Of($"""
        <h2>Instances</h2>
        <p>Store revision {view["storeRevision"]!.ToString()}; {view["liveInstances"]!.ToString()} instance(s) running.</p>
        {Table(["Instance", "State", "Serves revision", "Last report", "Management API"], view["value"]!.AsArray().Select(i => Html.Of(
            $"<tr><td>{i!["id"]!.ToString()}{(i["self"]!.GetValue<bool>() ? Html.Of($" (this one)") : Html.Empty)}</td><td class=\"{(i["state"]!.ToString() == "Running" ? "" : "bad")}\">{i["state"]!.ToString()}</td><td>{i["revision"]!.ToString()}</td><td>{i["lastReport"]!.ToString()}</td><td>{i["managementUrl"]!.ToString()}</td></tr>")))}
        {Table(["Gateway", "Asks for", "Running", "Difference"], view["gateways"]!.AsArray().Select(g => Html.Of(
            $"<tr><td>{g!["id"]!.ToString().Split('/')[^1]}</td><td>{(g["capacity"] is { } capacity ? capacity.ToString() : $"{g["minCapacity"]} to {g["maxCapacity"]}")}</td><td>{g["liveInstances"]!.ToString()}</td><td class=\"{(g["difference"]!.GetValue<int>() == 0 ? "" : "bad")}\">{g["status"]!.ToString()}</td></tr>")))}
        """);

    private static Html Tags(JsonObject? tags) =>
        Html.Join((tags ?? []).Select(t => Html.Of($"<span>{t.Key}: {t.Value?.ToString()}</span><br>")));

    /// <summary>As Azure's JSON view: the resource as a GET at the chosen api-version returns it, so without its secrets.</summary>
    private static Html JsonView(ProvisionedResource resource, string apiVersion, string path) => Html.Of($"""
        <h2 id="json">Resource JSON</h2>
        <form method="get" action="{path}#json"><label for="api-version">API version</label>
        <select id="api-version" name="api-version">{Html.Join(ApiVersions.Union([apiVersion]).Select(v => Html.Of($"<option{(v == apiVersion ? Html.Of($" selected") : Html.Empty)}>{v}</option>")))}</select>
        <button type="submit">Show</button></form>
        <pre tabindex="0" aria-label="Resource JSON at API version {apiVersion}">{NetworkProvider.Render(resource, apiVersion).ToJsonString(Readable)}</pre>
        """);

    private static IResult NotFound(string message) =>
        PortalPage.Signed("Not found", Home, Html.Of($"<p class=\"bad\">{message}</p>"), StatusCodes.Status404NotFound);
}
