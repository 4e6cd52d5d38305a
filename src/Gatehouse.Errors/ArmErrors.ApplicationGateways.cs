namespace Gatehouse.Errors;

/// <summary>Azure's errors about an application gateway's definition (appgw-behaviour §1.2, §4, §5, §7).</summary>
public static partial class ArmErrors
{
    // Certificates.

    public static ArmError SslCertificateDataMissing(string path, string id) =>
        new("ApplicationGatewaySslCertificateDataMustBeSpecified", $"Data must be specified for the SSL certificate {id}.", path);

    public static ArmError SslCertificateNotBase64(string path, string id) => new("ApplicationGatewaySslCertificateInvalidData",
        $"The data of the SSL certificate {id} is not valid base64. Give the PFX file's bytes base64-encoded.", path);

    public static ArmError SslCertificateNotPfx(string path, string id) =>
        new("ApplicationGatewaySslCertificateInvalidData", $"The data of the SSL certificate {id} is not a PFX (PKCS#12) file.", path);

    public static ArmError SslCertificateWrongPassword(string path, string id) =>
        new("ApplicationGatewaySslCertificateInvalidPassword", $"The password of the SSL certificate {id} does not open its PFX data.", path);

    public static ArmError SslCertificateWithoutPrivateKey(string path, string id) =>
        new("ApplicationGatewaySslCertificateMustHavePrivateKey", $"The PFX of the SSL certificate {id} holds no private key.", path);

    public static ArmError TrustedClientCertificateDataMissing(string path, string id) =>
        new("ApplicationGatewayTrustedClientCertificateMustSpecifyData", $"Data must be specified for the trusted client certificate {id}.", path);

    public static ArmError TrustedClientCertificateTooLarge(string path, string id, int length, int max) => new("ApplicationGatewayTrustedClientCertificateDataTooLarge",
        $"The data of the trusted client certificate {id} is {length} bytes; an uploaded CA file may hold at most {max} bytes.", path);

    public static ArmError TrustedClientCertificateWithPrivateKey(string path, string id) =>
        new("ApplicationGatewayTrustedClientCertificateMustNotHavePrivateKey", $"The trusted client certificate {id} must not contain a private key.", path);

    public static ArmError TrustedClientCertificateInvalidData(string path, string id) => new("ApplicationGatewayTrustedClientCertificateInvalidData",
        $"The data of the trusted client certificate {id} is not valid: give PEM certificates, each between BEGIN CERTIFICATE and END CERTIFICATE, or one base64 DER certificate.", path);

    public static ArmError TrustedClientCertificateWithoutCa(string path, string id) => new("ApplicationGatewayTrustedClientCertificateDoesNotContainAnyCACertificate",
        $"The trusted client certificate {id} does not contain any CA certificate; CA certificates carry the basic constraint CA=TRUE.", path);

    public static ArmError TrustedClientCertificateRootCount(string path, string id, int roots) => new("ApplicationGatewayOnlyOneRootCAAllowedInTrustedClientCertificate",
        $"The trusted client certificate {id} contains {roots} root CA certificates; exactly one root CA is allowed per file.", path);

    public static ArmError TrustedRootCertificateInvalidData(string path, string id) => new("ApplicationGatewayTrustedRootCertificateInvalidData",
        $"The trusted root certificate {id} is not a PEM or base64 X.509 certificate.", path);

    // Listeners and SSL profiles.

    public static ArmError ListenerMissingSslCertificate(string path, string id) =>
        new("ApplicationGatewayHttpsListenerMustReferenceSslCert", $"The HTTPS listener {id} must reference an SSL certificate.", path);

    public static ArmError HttpListenerWithSslProfile(string path, string id) => new("ApplicationGatewayHttpListenerCannotReferenceSslProfile",
        $"The HTTP listener {id} cannot reference an SSL profile; only HTTPS listeners can.", path);

    /// <param name="owner">What uses the protocol, such as <c>listener /subscriptions/.../httpListeners/l1</c>.</param>
    /// <param name="allowed">The protocols the collection takes, such as <c>Http or Https</c>.</param>
    /// <param name="instead">Where the protocol belongs instead, such as <c>listeners</c>.</param>
    public static ArmError ProtocolNotForCollection(string path, string owner, string protocol, string allowed, string instead) => new("ApplicationGatewayProtocolNotValidForCollection",
        $"The {owner} uses protocol {protocol}; it takes {allowed}. Declare a {protocol} one in {instead} instead.", path);

    public static ArmError TlsListenerMissingSslCertificate(string path, string id) =>
        new("ApplicationGatewayTlsListenerMustReferenceSslCert", $"The TLS listener {id} must reference an SSL certificate.", path);

    public static ArmError TcpListenerWithTls(string path, string id, string property) => new("ApplicationGatewayTcpListenerCannotReferenceTlsSettings",
        $"The TCP listener {id} cannot reference an {property}; only TLS listeners terminate TLS.", path);

    public static ArmError ListenerUsedBySeveralRoutingRules(string path, string listenerId) => new("ApplicationGatewayListenerUsedByMultipleRoutingRules",
        $"The listener {listenerId} is used by more than one routing rule; a listener belongs to one rule.", path);

    public static ArmError ProbeProtocolMismatch(string path, string probeId, string protocol, string settingsId) => new("ApplicationGatewayProbeProtocolMismatch",
        $"The probe {probeId} uses protocol {protocol}, which the settings {settingsId} cannot use: HTTP settings take Http or Https probes, layer-4 settings Tcp or Tls probes.", path);

    /// <summary>A property Azure serves that this gateway cannot enforce here: refused rather than accepted and ignored.</summary>
    public static ArmError PropertyNotSupportedLocally(string path, string owner, string property, string why) => new("ApplicationGatewayPropertyNotSupportedLocally",
        $"The {property} of {owner} is valid in Azure but cannot run locally: {why}. Remove it to deploy here.", path);

    public static ArmError ListenerHostNameAndHostNames(string path, string id) => new("ApplicationGatewayHttpListenerHostNameAndHostNamesCannotBeSpecifiedTogether",
        $"The HTTP listener {id} specifies both hostName and hostNames; use one of them.", path);

    public static ArmError ListenerTooManyHostNames(string path, string id, int count, int max) => new("ApplicationGatewayHttpListenerTooManyHostNames",
        $"The HTTP listener {id} has {count} host names; a listener takes at most {max}.", path);

    public static ArmError ListenerHostNameWithWildcard(string path, string id, string hostName) => new("ApplicationGatewayHttpListenerHostNameCannotHaveWildcard",
        $"The host name '{hostName}' of the HTTP listener {id} has a wildcard; wildcards are allowed only in hostNames.", path);

    public static ArmError ListenerInvalidHostName(string path, string id, string hostName, string problem) =>
        new("ApplicationGatewayHttpListenerInvalidHostName", $"The host name '{hostName}' of the HTTP listener {id} is not valid: {problem}.", path);

    public static ArmError ListenersShareFrontend(string path, string firstId, string secondId, string hostName) => new("ApplicationGatewayHttpListenersUsingSameFrontendPortAndFrontendIpConfig",
        $"The HTTP listeners {firstId} and {secondId} use the same frontend IP configuration, frontend port and host name '{hostName}'.", path);

    public static ArmError FrontendPortOutOfRange(string path, string id, int port) => new("ApplicationGatewayFrontendPortOutOfRange",
        $"The frontend port {id} has port {port}; a v2 gateway listens on ports 1 to 65199.", path);

    public static ArmError StrictProfileWithoutTrustedClientCertificates(string path, string id) => new("ApplicationGatewaySslProfileStrictModeRequiresTrustedClientCertificates",
        $"The SSL profile {id} verifies client certificates in Strict mode but trusts no client CA; add trustedClientCertificates or use Passthrough.", path);

    // TLS policies (appgw-behaviour §4.3, §4.4).

    public static ArmError SslPolicyPredefinedWithCustomParameters(string path, string owner) => new("ApplicationGatewaySslPolicyPredefinedPolicyDoesNotAllowCustomParameters",
        $"The predefined SSL policy of {owner} also sets minProtocolVersion or cipherSuites; a predefined policy takes only policyType and policyName.", path);

    public static ArmError SslPolicyNameInvalid(string path, string? name, IEnumerable<string> valid) => new("ApplicationGatewaySslPolicyNameInvalid",
        $"The SSL policy name '{name}' is not a predefined policy. Valid names: {string.Join(", ", valid)}.", path);

    public static ArmError SslPolicyTypeInvalid(string path, string type) => new("ApplicationGatewaySslPolicyTypeInvalid",
        $"The SSL policy type '{type}' is not valid. Valid types: Predefined, Custom, CustomV2.", path);

    public static ArmError SslPolicyCustomWithPolicyName(string path, string owner, string type, string name) => new("ApplicationGatewaySslPolicyCustomPolicyDoesNotAllowPolicyName",
        $"The {type} SSL policy of {owner} names the predefined policy '{name}'; a {type} policy takes minProtocolVersion and cipherSuites instead.", path);

    public static ArmError SslPolicyMinProtocolVersionInvalid(string path, string version, IEnumerable<string> valid) => new("ApplicationGatewaySslPolicyMinProtocolVersionInvalid",
        $"The minimum protocol version '{version}' is not valid. Valid versions: {string.Join(", ", valid)}.", path);

    public static ArmError SslPolicyTls13RequiresCustomV2(string path) => new("ApplicationGatewaySslPolicyTls13RequiresCustomV2",
        "TLS 1.3 is available only with the CustomV2 policy type or a 2022 predefined policy.", path);

    public static ArmError SslPolicyCipherSuitesRequired(string path, string type) =>
        new("ApplicationGatewaySslPolicyCipherSuitesRequired", $"A {type} SSL policy must list its cipher suites.", path);

    public static ArmError SslPolicyCipherSuiteNotSupported(string path, string owner, string type, string suite, IEnumerable<string> available) => new("ApplicationGatewaySslPolicyCipherSuiteNotSupported",
        $"The cipher suite '{suite}' of the {type} SSL policy of {owner} is not available. Available: {string.Join(", ", available)}.", path);

    public static ArmError SslPoliciesOfMixedGenerations(string path, string olderOwner, string newerOwner) => new("ApplicationGatewaySslPolicy2022CannotBeMixedWithOlderPolicies",
        $"The SSL policy of {olderOwner} is of an older generation than the one of {newerOwner}; 2022 predefined and CustomV2 policies cannot be combined with older policies on one gateway.", path);

    public static ArmError SslPolicyRetiredTls(string path, string owner, string what) => new("ApplicationGatewayDeprecatedTlsVersionUsedInSslPolicy",
        $"The SSL policy of {owner} uses {what}, which allows TLS 1.0 or 1.1; these versions are retired. Use a policy with TLSv1_2 or later as its minimum.", path);

    public static ArmError PredefinedSslPolicyNotFound(string name, IEnumerable<string> valid) =>
        new("NotFound", $"The predefined SSL policy '{name}' does not exist. Valid names: {string.Join(", ", valid)}.", name);

    // Routing (appgw-behaviour §2.4, §5.3-5.6).

    public static ArmError RulePrioritiesPartial(string path, string id) => new("ApplicationGatewayRequestRoutingRulePartialPriorityDefined",
        $"Either all or no rule should have the priority specified; the request routing rule {id} has none.", path);

    public static ArmError RulePriorityMissing(string path, string id) => new("ApplicationGatewayRequestRoutingRulePriorityCannotBeEmpty",
        $"Priority for the request routing rule {id} cannot be empty. All request routing rules should have a priority defined starting from api-version 2021-08-01", path);

    public static ArmError RulePriorityOutOfRange(string path, string id, int priority) => new("ApplicationGatewayRequestRoutingRuleInvalidPriority",
        $"Priority {priority} of the request routing rule {id} is out of range; it must be between 1 and 20000.", path);

    public static ArmError RulePriorityNotUnique(string path, string id, string otherId, int priority) => new("ApplicationGatewayRequestRoutingRulePriorityMustBeUnique",
        $"Priority must be unique across all the request routing rules: {id} and {otherId} both have priority {priority}.", path);

    public static ArmError ListenerUsedBySeveralRules(string path, string listenerId) => new("ApplicationGatewayHttpListenerUsedByMultipleRequestRoutingRules",
        $"The HTTP listener {listenerId} is used by more than one request routing rule; a listener belongs to one rule.", path);

    public static ArmError PathBasedRuleWithoutUrlPathMap(string path, string id) => new("ApplicationGatewayPathBasedRequestRoutingRuleMustReferenceUrlPathMap",
        $"The path-based request routing rule {id} must reference a URL path map.", path);

    public static ArmError RuleWithoutBackendOrRedirect(string path, string id) => new("ApplicationGatewayRequestRoutingRuleMustReferenceBackendOrRedirect",
        BackendOrRedirect($"The Basic request routing rule {id}"), path);

    public static ArmError UrlPathMapWithoutDefaultBackendOrRedirect(string path, string id) => new("ApplicationGatewayUrlPathMapMustSpecifyDefaultBackendOrRedirect",
        BackendOrRedirect($"The URL path map {id} (its defaults)"), path);

    public static ArmError PathRuleWithoutBackendOrRedirect(string path, string id) => new("ApplicationGatewayPathRuleMustReferenceBackendOrRedirect",
        BackendOrRedirect($"The path rule {id}"), path);

    private static string BackendOrRedirect(string subject) =>
        $"{subject} must reference either a backend address pool (or a load distribution policy) and backend HTTP settings, or a redirect configuration.";

    public static ArmError LoadDistributionPolicyWithoutTargets(string path, string id) => new("ApplicationGatewayLoadDistributionPolicyMustHaveTargets",
        $"The load distribution policy {id} must list at least one load distribution target.", path);

    public static ArmError LoadDistributionTargetWithoutPool(string path, string id) => new("ApplicationGatewayLoadDistributionTargetMustReferenceBackendAddressPool",
        $"The load distribution target {id} must reference a backend address pool.", path);

    public static ArmError LoadDistributionWeightOutOfRange(string path, string id, int weight) => new("ApplicationGatewayLoadDistributionTargetInvalidWeightPerServer",
        $"The weightPerServer {weight} of the load distribution target {id} is out of range; it must be between 1 and 100.", path);

    public static ArmError PathRuleInvalidPaths(string path, string id) =>
        new("ApplicationGatewayPathRuleInvalidPath", $"The path rule {id} must list paths, each starting with '/'.", path);

    public static ArmError RedirectTargetNotOne(string path, string id) => new("ApplicationGatewayRedirectConfigurationMustSpecifyTargetListenerOrTargetUrl",
        $"The redirect configuration {id} must specify exactly one of targetListener and targetUrl.", path);

    public static ArmError RedirectTargetListenerHostNames(string path, string id, string listenerId) => new("ApplicationGatewayRedirectTargetListenerCannotHaveWildcardOrMultipleHostNames",
        $"The redirect configuration {id} targets the listener {listenerId}, which has several or wildcard host names; a redirect target needs one host name.", path);

    public static ArmError RerouteOnBasicRule(string path, string ruleId, string setId) => new("ApplicationGatewayRewriteRuleSetRerouteNotAllowedOnBasicRule",
        $"The Basic request routing rule {ruleId} uses the rewrite rule set {setId}, which reroutes; reroute needs a path-based rule.", path);

    // Entra JWT validation (json-web-token-overview; the codes are ours, Azure's are not documented).

    public static ArmError EntraJwtValidationApiVersion(string path, string id, string apiVersion, string since) => new("ApplicationGatewayEntraJWTValidationNotSupportedInApiVersion",
        $"The application gateway {id} uses entraJWTValidationConfigs, which api-version {apiVersion} does not have; deploy it with api-version {since} or later.", path);

    public static ArmError EntraJwtValidationNeedsV2Sku(string path, string id, string tier) => new("ApplicationGatewayEntraJWTValidationRequiresV2Sku",
        $"The application gateway {id} validates Entra ID tokens, which only the Standard_v2 and WAF_v2 tiers do; its tier is {tier}.", path);

    public static ArmError EntraJwtValidationNeedsHttpsListener(string path, string ruleId, string listenerId) => new("ApplicationGatewayEntraJWTValidationRequiresHttpsListener",
        $"The request routing rule {ruleId} validates Entra ID tokens on the listener {listenerId}, which is not HTTPS; tokens are validated on HTTPS listeners only.", path);

    public static ArmError EntraJwtValidationTenantIdInvalid(string path, string id, string? tenantId) => new("ApplicationGatewayEntraJWTValidationConfigInvalidTenantId",
        $"The tenantId '{tenantId}' of the Entra JWT validation configuration {id} is not valid: give the tenant's GUID, or common, organizations or consumers.", path);

    public static ArmError EntraJwtValidationClientIdInvalid(string path, string id, string? clientId) => new("ApplicationGatewayEntraJWTValidationConfigInvalidClientId",
        $"The clientId '{clientId}' of the Entra JWT validation configuration {id} is not valid: give the application (client) id, a GUID.", path);

    public static ArmError EntraJwtValidationTooManyAudiences(string path, string id, int count, int max) => new("ApplicationGatewayEntraJWTValidationConfigTooManyAudiences",
        $"The Entra JWT validation configuration {id} lists {count} audiences; at most {max} are permitted.", path);

    // Rewrites (appgw-behaviour §2).

    public static ArmError RewriteConditionVariableInvalid(string path, string variable, string rule) => new("ApplicationGatewayRewriteRuleConditionVariableInvalid",
        $"The condition variable '{variable}' of rewrite rule '{rule}' must start with var_, http_req_ or http_resp_.", path);

    public static ArmError RewriteConditionPatternInvalid(string path, string pattern, string rule, string reason) => new("ApplicationGatewayRewriteRuleConditionPatternInvalid",
        $"The pattern '{pattern}' of rewrite rule '{rule}' is not a valid regular expression: {reason}", path);

    public static ArmError ServerVariableNotSupported(string path, string name) =>
        new("ApplicationGatewayRewriteRuleSetServerVariableNotSupported", $"The server variable '{name}' is not supported.", path);

    // Backends and probes (appgw-behaviour §5.8, §5.9).

    public static ArmError ValueOutOfRange(string path, string owner, string property, long value, long min, long max) => new("ApplicationGatewayPropertyValueOutOfRange",
        $"The {property} of {owner} is {value}; it must be between {min} and {max}.", path);

    public static ArmError BackendSettingsHostNameAndPickHostName(string path, string id) => new("ApplicationGatewayBackendHttpSettingsHostNameAndPickHostNameCannotBeSpecifiedTogether",
        $"The backend HTTP settings {id} set both hostName and pickHostNameFromBackendAddress; use one of them.", path);

    public static ArmError BackendAddressInvalid(string path, string pool, string address, string problem) => new("ApplicationGatewayBackendAddressInvalid",
        $"The backend address '{address}' of the backend address pool {pool} is not valid: {problem}.", path);

    public static ArmError ProbePathWithoutSlash(string path, string id, string probePath) =>
        new("ApplicationGatewayProbePathMustStartWithSlash", $"The path '{probePath}' of the probe {id} must start with '/'.", path);

    public static ArmError OnDemandProbeTimeoutOutOfRange(string path, int timeout) => new("ApplicationGatewayProbeInvalidTimeout",
        $"The probe timeout {timeout} is out of range; it must be between 1 and 86400 seconds.", path);

    public static ArmError ProbeHostNotOne(string path, string id) => new("ApplicationGatewayProbeMustSpecifyHostOrPickHostNameFromBackendHttpSettings",
        $"The probe {id} must specify exactly one of host and pickHostNameFromBackendHttpSettings.", path);

    public static ArmError ProbeStatusCodeInvalid(string path, string id, string text) => new("ApplicationGatewayProbeMatchStatusCodeInvalid",
        $"The status code range '{text}' of the probe {id} must be a status such as 200 or a range such as 200-399.", path);

    // The gateway as a whole (appgw-behaviour §5.2, §7).

    /// <summary>What Azure answers since v1's retirement (azure-quickstart-templates#14031, terraform-provider-azurerm#31076).</summary>
    public static ArmError V1SkuDeprecated(string path, string tier) => new("AppGatewayV1SkuDeprecated",
        $"Application Gateway SKU tier {tier} has been deprecated. Supported SKU tiers are Standard_v2,WAF_v2. Refer https://aka.ms/V1retirement.", path);

    /// <summary>Authentication certificates exist only in the v1 tiers: refused with the retirement's code, naming what v2 uses instead.</summary>
    public static ArmError V1AuthenticationCertificates(string path) => new("AppGatewayV1SkuDeprecated",
        "Application Gateway authentication certificates belong to the SKU tiers Standard and WAF, which have been deprecated. Supported SKU tiers are Standard_v2,WAF_v2, " +
        "which trust backend certificates through trustedRootCertificates. Refer https://aka.ms/V1retirement.", path);

    public static ArmError V2SkuWithoutCapacity(string path, string id, string tier) => new("ApplicationGatewayV2SkuMustSpecifyEitherCapacityOrAutoscaleConfiguration",
        $"Application Gateway {id} must specify either Capacity or AutoscaleConfiguration for the selected SKU tier {tier}.", path);

    public static ArmError CapacityOutOfRange(string path, string id, int capacity, string tier, int max) => new("ApplicationGatewayInvalidCapacity",
        $"Capacity {capacity} of Application Gateway {id} is out of range; a {tier} gateway takes 1 to {max} instances.", path);

    public static ArmError AutoscaleNeedsV2(string path, string id, string tier) => new("ApplicationGatewayAutoscaleConfigurationNotSupportedForSku",
        $"Application Gateway {id} has an autoscale configuration; autoscaling needs a v2 SKU tier, not {tier}.", path);

    public static ArmError AutoscaleOutOfRange(string path, string id, int min, int max) => new("ApplicationGatewayInvalidAutoscaleConfiguration",
        $"The autoscale configuration of Application Gateway {id} (minCapacity {min}, maxCapacity {max}) is out of range: minCapacity 0 to 125, maxCapacity 2 to 125 and not below minCapacity.", path);

    public static ArmError LimitExceeded(string path, string owner, int count, string what, int max) => new("ApplicationGatewayLimitExceeded",
        $"The resource {owner} has {count} {what}; Application Gateway allows at most {max}.", path);
}
