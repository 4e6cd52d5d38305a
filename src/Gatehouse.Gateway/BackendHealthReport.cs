namespace Gatehouse.Gateway;

/// <summary>
/// The body of Azure's backendhealth operation (ApplicationGatewayBackendHealth): serialized with web (camelCase)
/// names it has the shape of examples/ApplicationGatewayBackendHealthGet.json.
/// </summary>
public sealed record BackendHealthReport(IReadOnlyList<BackendPoolHealth> BackendAddressPools);

public sealed record BackendPoolHealth(ResourceReference BackendAddressPool, IReadOnlyList<BackendSettingsHealth> BackendHttpSettingsCollection);

public sealed record BackendSettingsHealth(ResourceReference BackendHttpSettings, IReadOnlyList<BackendServerHealth> Servers);

/// <param name="Address">The pool entry (IP address or FQDN).</param>
/// <param name="Health"><c>Unknown</c>, <c>Up</c>, <c>Down</c> or <c>Draining</c>.</param>
/// <param name="HealthProbeLog">Azure's message for the last probe; null before the first one.</param>
public sealed record BackendServerHealth(string Address, string Health, string? HealthProbeLog);

public sealed record ResourceReference(string Id);

/// <summary>One pool member of a gateway as probes and failed connections left it, for metrics and the portal.</summary>
/// <param name="Health"><c>Unknown</c>, <c>Up</c>, <c>Down</c> or <c>Draining</c>, as in <see cref="BackendServerHealth"/>.</param>
public sealed record BackendMemberStatus(string GatewayId, string BackendPoolName, string Address, string Health, string? HealthProbeLog);

/// <summary>The body of Azure's getBackendHealthOnDemand operation (ApplicationGatewayBackendHealthOnDemand), with web (camelCase) names.</summary>
public sealed record BackendHealthOnDemandReport(ResourceReference BackendAddressPool, BackendSettingsHealth BackendHealthHttpSettings);
