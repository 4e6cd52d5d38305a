using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// The body of getBackendHealthOnDemand (az network application-gateway show-backend-health with --host-name, --path,
/// --address-pool, --http-settings...): one probe, sent once to every member of <see cref="Pool"/> as
/// <see cref="Settings"/> reach them, that the gateway need not have.
/// </summary>
public sealed record OnDemandProbe(BackendAddressPool Pool, BackendHttpSettings Settings, Probe Probe)
{
    private const int MaxTimeoutSeconds = 86400;

    /// <summary>Throws <see cref="ArmException"/> naming every problem: the pool and settings must be the gateway's, the rest a probe's values.</summary>
    public static OnDemandProbe Read(ApplicationGateway gateway, JsonObject body)
    {
        var errors = new ArmErrorList();
        var pool = Find(gateway, gateway.BackendAddressPools, p => p.Id, body, "backendAddressPool", errors);
        var settings = Find(gateway, gateway.BackendHttpSettingsCollection, s => s.Id, body, "backendHttpSettings", errors);
        var protocol = body.String("protocol");
        if (protocol is not (null or nameof(ListenerProtocol.Http) or nameof(ListenerProtocol.Https)))
            errors.Add(ArmErrors.InvalidEnumValue("protocol", protocol, [nameof(ListenerProtocol.Http), nameof(ListenerProtocol.Https)]));
        var path = body.String("path") ?? "/";
        if (!path.StartsWith('/')) errors.Add(ArmErrors.ProbePathWithoutSlash("path", $"{gateway.Id}/getBackendHealthOnDemand", path));
        var timeout = body.Int("timeout") ?? ApplicationGatewayReader.DefaultProbeSeconds;
        if (timeout is < 1 or > MaxTimeoutSeconds) errors.Add(ArmErrors.OnDemandProbeTimeoutOutOfRange("timeout", timeout));
        var match = body.Object("match");
        var statusCodes = match.Strings("statusCodes");
        if (statusCodes.FirstOrDefault(s => StatusCodeRange.Parse(s) is null) is { } invalid)
            errors.Add(ArmErrors.ProbeStatusCodeInvalid("match.statusCodes", $"{gateway.Id}/getBackendHealthOnDemand", invalid));
        errors.ThrowIfAny(problems => ArmErrors.MultipleErrors($"the on-demand probe of {gateway.Id}", problems));

        // Sent once: one failure is the verdict.
        var probe = new Probe($"{gateway.Id}/probes/getBackendHealthOnDemand", "getBackendHealthOnDemand",
            protocol is null ? settings!.Protocol : Enum.Parse<ListenerProtocol>(protocol), body.String("host"), path,
            ApplicationGatewayReader.DefaultProbeSeconds, timeout, 1, body.Bool("pickHostNameFromBackendHttpSettings") ?? false, 0,
            new ProbeMatch(match.String("body"), statusCodes.Count > 0 ? statusCodes : ProbeMatch.DefaultStatusCodes), null);
        return new(pool!, settings!, probe);
    }

    private static T? Find<T>(ApplicationGateway gateway, IReadOnlyList<T> items, Func<T, string> id, JsonObject body, string property, ArmErrorList errors)
        where T : class
    {
        if (body.Reference(property) is not { } referenced)
        {
            errors.Add(ArmErrors.ReferenceRequired($"{property}.id", gateway.Id, property));
            return null;
        }
        var found = items.FirstOrDefault(item => ResourceIds.Comparer.Equals(id(item), referenced));
        if (found is null) errors.Add(ArmErrors.ReferenceNotFound($"{property}.id", referenced, gateway.Id));
        return found;
    }
}
