namespace Gatehouse.Errors;

/// <summary>What cannot be served on this machine although the gateways are valid: sockets, ports, local options.</summary>
public static partial class ArmErrors
{
    public static ArmError LocalPortConflict(string listenerId, string listener, string protocol, string otherListener, string otherProtocol, int localPort) =>
        new("GatewayLocalPortConflict",
            $"Listener '{listener}' ({protocol}) and listener '{otherListener}' ({otherProtocol}) both need local port {localPort}.", listenerId);

    public static ArmError ListenerHostConflict(string listenerId, string listener, string otherListener, string hostName, int localPort) =>
        new("GatewayListenerHostConflict",
            $"Listener '{listener}' and listener '{otherListener}' both take {(hostName.Length == 0 ? "every host name" : $"host name '{hostName}'")} on local port {localPort}.",
            listenerId);

    public static ArmError ResolveEntryInvalid(string target, string value) =>
        new("GatewayResolveInvalid", $"The resolve entry '{value}' does not end in a valid port.", target);

    public static ArmError EntraAuthorityNotConfigured(string ruleId, string configId) => new("GatewayEntraAuthorityNotConfigured",
        $"The request routing rule {ruleId} validates Entra ID tokens ({configId}), but this gateway host was given no OpenID provider to check them against.", ruleId);
}
