using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Network.Tests;

/// <summary>TCP and TLS listeners, their routing rules and backend settings: read into the model, and checked as Azure checks them.</summary>
public sealed class Layer4ValidationTests
{
    private static string Ref(string collection, string name) => $"{ReferenceDeployment.GatewayId}/{collection}/{name}";

    /// <summary>The reference gateway plus a TLS listener on port 5432 (the reference SSL profile) routed to pool2 over TCP settings.</summary>
    private static void AddTlsProxy(JsonObject gateway)
    {
        var properties = gateway["properties"]!.AsObject();
        properties["frontendPorts"]!.AsArray().Add(JsonNode.Parse("""{ "name": "postgres", "properties": { "port": 5432 } }"""));
        properties["listeners"] = JsonNode.Parse($$"""
            [ { "name": "tlsListener", "properties": { "protocol": "Tls",
                "frontendIPConfiguration": { "id": "{{Ref("frontendIPConfigurations", "appGatewayFrontendIP")}}" },
                "frontendPort": { "id": "{{Ref("frontendPorts", "postgres")}}" },
                "sslCertificate": { "id": "{{Ref("sslCertificates", "sslCert")}}" },
                "sslProfile": { "id": "{{Ref("sslProfiles", "sslnotrustedcert")}}" } } } ]
            """);
        properties["backendSettingsCollection"] = JsonNode.Parse("""[ { "name": "tcp", "properties": { "port": 5432, "protocol": "Tcp" } } ]""");
        properties["routingRules"] = JsonNode.Parse($$"""
            [ { "name": "tlsRule", "properties": { "priority": 100,
                "listener": { "id": "{{Ref("listeners", "tlsListener")}}" },
                "backendAddressPool": { "id": "{{Ref("backendAddressPools", "pool2")}}" },
                "backendSettings": { "id": "{{Ref("backendSettingsCollection", "tcp")}}" } } } ]
            """);
    }

    private static JsonObject Item(JsonObject gateway, string collection) => gateway["properties"]![collection]![0]!["properties"]!.AsObject();

    private static IReadOnlyList<ArmError> Reject(Action<JsonObject> edit)
    {
        var error = Assert.Throws<ArmException>(() => NetworkProvider.Provision(ReferenceDeployment.GatewayInput(g =>
        {
            AddTlsProxy(g);
            edit(g);
        }), ReferenceDeployment.Neighbours())).Error;
        return error.Details is { Count: > 0 } details ? details : [error];
    }

    [Fact]
    public void A_tls_listener_with_its_rule_and_tcp_settings_is_read_with_the_settings_default_timeout()
    {
        var gateway = NetworkProvider.ReadApplicationGateway(NetworkProvider.Provision(ReferenceDeployment.GatewayInput(AddTlsProxy), ReferenceDeployment.Neighbours()));

        var listener = Assert.Single(gateway.Listeners);
        Assert.Equal((ListenerProtocol.Tls, Ref("sslCertificates", "sslCert"), Ref("sslProfiles", "sslnotrustedcert")),
            (listener.Protocol, listener.SslCertificateId, listener.SslProfileId));
        var rule = Assert.Single(gateway.RoutingRules);
        Assert.Equal((100, listener.Id, Ref("backendSettingsCollection", "tcp")), (rule.Priority, rule.ListenerId, rule.BackendSettingsId));
        var settings = Assert.Single(gateway.BackendSettingsCollection);
        Assert.Equal((5432, ListenerProtocol.Tcp, 60), (settings.Port, settings.Protocol, settings.TimeoutSeconds));
    }

    [Fact]
    public void A_tls_listener_without_a_certificate_is_refused()
    {
        var error = Assert.Single(Reject(g => Item(g, "listeners").Remove("sslCertificate")));

        Assert.Equal("ApplicationGatewayTlsListenerMustReferenceSslCert", error.Code);
        Assert.Equal("properties.listeners[0].properties.sslCertificate", error.Target);
    }

    [Fact]
    public void A_tcp_listener_with_an_ssl_profile_and_an_http_protocol_on_backend_settings_are_both_named()
    {
        var errors = Reject(g =>
        {
            Item(g, "listeners")["protocol"] = "Tcp";
            Item(g, "listeners").Remove("sslCertificate");
            Item(g, "backendSettingsCollection")["protocol"] = "Http";
        });

        Assert.Equal(
            [("ApplicationGatewayProtocolNotValidForCollection", "properties.backendSettingsCollection[0].properties.protocol"),
             ("ApplicationGatewayTcpListenerCannotReferenceTlsSettings", "properties.listeners[0].properties.sslProfile")],
            errors.Select(e => (e.Code, e.Target)).Order());
    }

    [Fact]
    public void A_routing_rule_without_backend_settings_or_priority_is_refused()
    {
        var errors = Reject(g =>
        {
            Item(g, "routingRules").Remove("backendSettings");
            Item(g, "routingRules").Remove("priority");
        });

        Assert.Equal(["properties.routingRules[0].properties.backendSettings", "properties.routingRules[0].properties.priority"],
            errors.Select(e => e.Target).Order());
    }

    [Fact]
    public void An_http_probe_on_tcp_settings_is_refused()
    {
        var errors = Reject(g =>
        {
            g["properties"]!["probes"] = JsonNode.Parse("""[ { "name": "web", "properties": { "protocol": "Http", "host": "a", "path": "/" } } ]""");
            Item(g, "backendSettingsCollection")["probe"] = new JsonObject { ["id"] = Ref("probes", "web") };
        });

        var error = Assert.Single(errors);
        Assert.Equal(("ApplicationGatewayProbeProtocolMismatch", "properties.backendSettingsCollection[0].properties.probe"), (error.Code, error.Target));
    }

    [Fact]
    public void A_trusted_root_from_key_vault_is_read_through_the_gateways_identity_not_taken_for_pem_data()
    {
        var errors = Reject(g =>
        {
            g.Remove("identity");
            g["properties"]!["trustedRootCertificates"] = JsonNode.Parse("""[ { "name": "kv", "properties": { "keyVaultSecretId": "https://vault.vault.azure.net/secrets/root" } } ]""");
            Item(g, "backendSettingsCollection")["trustedRootCertificates"] = new JsonArray(new JsonObject { ["id"] = Ref("trustedRootCertificates", "kv") });
        });

        var error = Assert.Single(errors);
        Assert.Equal(("ApplicationGatewayKeyVaultSecretRequiresUserAssignedIdentity", "properties.trustedRootCertificates[0].properties.keyVaultSecretId"), (error.Code, error.Target));
    }
}
