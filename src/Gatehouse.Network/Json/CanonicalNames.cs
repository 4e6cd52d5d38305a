namespace Gatehouse.Network.Json;

/// <summary>
/// Property names as the Microsoft.Network REST specification (2025-03-01) spells them, so that input in any
/// casing is written back canonically. Generated from the specification's definitions.
/// </summary>
internal static class CanonicalNames
{
    public static readonly IReadOnlyDictionary<string, string> ByName = new[]
    {
        "action", "actionSet", "additionalInfo", "address", "addressPrefix", "addressPrefixes",
        "addressSpace", "affinityCookieName", "apiVersion", "applicationGatewayForContainers", "applicationGateways", "audiences",
        "authenticationCertificates", "autoscaleConfiguration", "availableCipherSuites", "availableProtocols", "availableRuleSets", "backendAddresses",
        "backendAddressPool", "backendAddressPools", "backendHealthHttpSettings", "backendHttpSettings", "backendHttpSettingsCollection", "backendIPConfigurations",
        "backendSettings", "backendSettingsCollection", "body", "capacity", "cipherSuites", "clientAuthConfiguration",
        "clientCertIssuerDN", "clientId", "code", "computedDisabledRules", "conditions", "connectionDraining",
        "cookieBasedAffinity", "createdAt", "createdBy", "createdByType", "customBlockResponseBody", "customBlockResponseStatusCode",
        "customErrorConfigurations", "customErrorPageUrl", "customRules", "data", "dedicatedBackendConnection", "defaultBackendAddressPool",
        "defaultBackendHttpSettings", "defaultLoadDistributionPolicy", "defaultPolicy", "defaultPredefinedSslPolicy", "defaultRedirectConfiguration", "defaultRewriteRuleSet",
        "defaultRuleSet", "delegations", "dependsOn", "description", "details", "disabledRuleGroups",
        "disabledSslProtocols", "dnsSettings", "domainNameLabel", "drainTimeoutInSec", "enabled", "enableFips",
        "enableHttp2", "enableL4ClientIpPreservation", "enableProbeProxyProtocolHeader", "enableRequestBuffering", "enableResponseBuffering", "entraJWTValidationConfig",
        "entraJWTValidationConfigs", "error", "etag", "exceptionManagedRuleSets", "exceptions", "exclusionManagedRuleSets",
        "exclusions", "family", "fileUploadEnforcement", "fileUploadLimitInMb", "firewallMode", "firewallPolicy",
        "forceFirewallPolicyAssociation", "fqdn", "frontendIPConfiguration", "frontendIPConfigurations", "frontendPort", "frontendPorts",
        "gatewayIPConfigurations", "globalConfiguration", "groupByUserSession", "groupId", "headerName", "headerValue",
        "headerValueMatcher", "health", "healthProbeLog", "host", "hostName", "hostNames",
        "httpListener", "httpListeners", "id", "identity", "idleTimeoutInMinutes", "ignoreCase",
        "includePath", "includeQueryString", "info", "innerError", "interval", "ipAddress",
        "ipConfiguration", "ipConfigurations", "jsChallengeCookieExpirationInMins", "keyVaultSecretId", "kind", "lastModifiedAt",
        "lastModifiedBy", "lastModifiedByType", "linkIdentifier", "listener", "listeners", "loadDistributionAlgorithm",
        "loadDistributionPolicies", "loadDistributionPolicy", "loadDistributionTargets", "location", "logScrubbing", "managedRules",
        "managedRuleSets", "match", "matchConditions", "matchValues", "matchVariable", "matchVariables",
        "maxCapacity", "maxRequestBodySize", "maxRequestBodySizeInKb", "message", "minCapacity", "minProtocolVersion",
        "minServers", "mode", "modifiedPath", "modifiedQueryString", "name", "negate",
        "negationConditon", "nextLink", "operationalState", "operator", "password", "path",
        "pathBasedRules", "pathRules", "paths", "pattern", "pickHostNameFromBackendAddress", "pickHostNameFromBackendHttpSettings",
        "pickHostNameFromBackendSettings", "policyName", "policySettings", "policyType", "port", "predefinedPolicies",
        "primary", "principalId", "priority", "privateEndpoint", "privateEndpointConnections", "privateIPAddress",
        "privateIPAllocationMethod", "privateLinkConfiguration", "privateLinkConfigurations", "privateLinkServiceConnectionState", "probe", "probeEnabled",
        "probes", "properties", "protocol", "provisioningState", "publicCertData", "publicIPAddress",
        "publicIPAddressVersion", "publicIPAllocationMethod", "rateLimitDuration", "rateLimitThreshold", "redirectConfiguration", "redirectConfigurations",
        "redirectType", "requestBodyCheck", "requestBodyEnforcement", "requestBodyInspectLimitInKB", "requestHeaderConfigurations", "requestRoutingRules",
        "requestTimeout", "requiredMembers", "requiredZoneNames", "requireServerNameIndication", "reroute", "resourceGuid",
        "resourceState", "responseHeaderConfigurations", "rewriteRules", "rewriteRuleSet", "rewriteRuleSets", "routingRules",
        "ruleGroupName", "ruleGroupOverrides", "ruleGroups", "ruleId", "ruleIdString", "rules",
        "ruleSequence", "ruleSetType", "ruleSetVersion", "ruleType", "scrubbingRules", "selector",
        "selectorMatchOperator", "sensitivity", "servers", "serviceName", "sku", "sniName",
        "sslCertificate", "sslCertificates", "sslPolicy", "sslProfile", "sslProfiles", "state",
        "status", "statusCode", "statusCodes", "subnet", "subnets", "systemData",
        "tags", "target", "targetListener", "targetUrl", "tenantId", "tier",
        "tiers", "timeout", "transforms", "trustedClientCertificates", "trustedRootCertificates", "type",
        "unAuthorizedRequestAction", "unhealthyThreshold", "urlConfiguration", "urlPathMap", "urlPathMaps", "userAssignedIdentities",
        "validateCertChainAndExpiry", "validatedCertData", "validateSNI", "value", "valueMatchOperator", "values",
        "variable", "variableName", "verifyClientAuthMode", "verifyClientCertIssuerDN", "verifyClientRevocation", "webApplicationFirewallConfiguration",
        "weightPerServer", "zones",
    }.ToDictionary(n => n, StringComparer.OrdinalIgnoreCase);
}
