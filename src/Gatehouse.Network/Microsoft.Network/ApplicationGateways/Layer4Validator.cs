using Gatehouse.Errors;
using static Gatehouse.Network.PropertyPaths;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>Azure's checks on the layer-4 path: TCP and TLS listeners, their routing rules and backend settings.</summary>
internal static class Layer4Validator
{
    public static void Validate(ApplicationGateway gateway, ArmErrorList errors)
    {
        ValidateListeners(gateway, errors);
        ValidateRules(gateway, errors);
        ValidateSettings(gateway, errors);
    }

    private static void ValidateListeners(ApplicationGateway gateway, ArmErrorList errors)
    {
        foreach (var (listener, item) in gateway.Listeners.Select((l, i) => (l, Item("listeners", i))))
        {
            ApplicationGatewayValidator.Required(listener.FrontendIpConfigurationId, listener.Id, item, "frontendIPConfiguration", errors);
            ApplicationGatewayValidator.Required(listener.FrontendPortId, listener.Id, item, "frontendPort", errors);
            switch (listener.Protocol)
            {
                case ListenerProtocol.Tls when listener.SslCertificateId is null:
                    errors.Add(ArmErrors.TlsListenerMissingSslCertificate(Of(item, "sslCertificate"), listener.Id));
                    break;
                case ListenerProtocol.Tcp:
                    if (listener.SslCertificateId is not null) errors.Add(ArmErrors.TcpListenerWithTls(Of(item, "sslCertificate"), listener.Id, "SSL certificate"));
                    if (listener.SslProfileId is not null) errors.Add(ArmErrors.TcpListenerWithTls(Of(item, "sslProfile"), listener.Id, "SSL profile"));
                    break;
                case ListenerProtocol.Http or ListenerProtocol.Https:
                    errors.Add(ArmErrors.ProtocolNotForCollection(Of(item, "protocol"), $"listener {listener.Id}", listener.Protocol.ToString(), "Tcp or Tls", "httpListeners"));
                    break;
            }
        }
    }

    /// <summary>Priorities are unique across both kinds of rule: one evaluation order serves the gateway.</summary>
    private static void ValidateRules(ApplicationGateway gateway, ArmErrorList errors)
    {
        var priorities = gateway.RequestRoutingRules.Where(r => r.Priority != 0).DistinctBy(r => r.Priority).ToDictionary(r => r.Priority, r => r.Id);
        var listeners = new HashSet<string>(ResourceIds.Comparer);
        foreach (var (rule, item) in gateway.RoutingRules.Select((r, i) => (r, Item("routingRules", i))))
        {
            ApplicationGatewayValidator.Required(rule.ListenerId, rule.Id, item, "listener", errors);
            ApplicationGatewayValidator.Required(rule.BackendAddressPoolId, rule.Id, item, "backendAddressPool", errors);
            ApplicationGatewayValidator.Required(rule.BackendSettingsId, rule.Id, item, "backendSettings", errors);
            if (rule.Priority == 0)
                errors.Add(ArmErrors.RulePriorityMissing(Of(item, "priority"), rule.Id));
            else if (rule.Priority is < 1 or > 20000)
                errors.Add(ArmErrors.RulePriorityOutOfRange(Of(item, "priority"), rule.Id, rule.Priority));
            else if (!priorities.TryAdd(rule.Priority, rule.Id))
                errors.Add(ArmErrors.RulePriorityNotUnique(Of(item, "priority"), rule.Id, priorities[rule.Priority], rule.Priority));
            if (!string.IsNullOrEmpty(rule.ListenerId) && !listeners.Add(rule.ListenerId))
                errors.Add(ArmErrors.ListenerUsedBySeveralRoutingRules(Of(item, "listener"), rule.ListenerId));
        }
    }

    private static void ValidateSettings(ApplicationGateway gateway, ArmErrorList errors)
    {
        foreach (var (settings, item) in gateway.BackendSettingsCollection.Select((s, i) => (s, Item("backendSettingsCollection", i))))
        {
            if (settings.Protocol is ListenerProtocol.Http or ListenerProtocol.Https)
                errors.Add(ArmErrors.ProtocolNotForCollection(Of(item, "protocol"), $"backend settings {settings.Id}", settings.Protocol.ToString(),
                    "Tcp or Tls", "backendHttpSettingsCollection"));
            if (settings.Port is < 1 or > 65535)
                errors.Add(ArmErrors.ValueOutOfRange(Of(item, "port"), settings.Id, "port", settings.Port, 1, 65535));
            if (settings.TimeoutSeconds is < 1 or > 86400)
                errors.Add(ArmErrors.ValueOutOfRange(Of(item, "timeout"), settings.Id, "timeout", settings.TimeoutSeconds, 1, 86400));
            if (settings.PickHostNameFromBackendAddress && settings.HostName is not null)
                errors.Add(ArmErrors.BackendSettingsHostNameAndPickHostName(Of(item, "hostName"), settings.Id));
            BackendValidator.ValidateTrustedRoots(gateway, settings.TrustedRootCertificateIds, item, errors);
            BackendValidator.ValidateProbeProtocol(gateway, settings.ProbeId, settings.Id, item, layer4: true, errors);
        }
    }
}
