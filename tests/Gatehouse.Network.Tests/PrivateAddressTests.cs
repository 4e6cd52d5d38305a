using System.Text.Json.Nodes;
using Gatehouse.Errors;

namespace Gatehouse.Network.Tests;

/// <summary>
/// Network interfaces and scale sets get private addresses from their subnet as Azure allocates them, and a pool they
/// name gets those addresses as members; public IPs get local addresses of their own.
/// </summary>
public sealed class PrivateAddressTests
{
    private const string Group = "/subscriptions/s/resourceGroups/rg1/providers";
    private const string Subnet = $"{Group}/Microsoft.Network/virtualNetworks/vnet/subnets/backend";
    private const string WideSubnet = $"{Group}/Microsoft.Network/virtualNetworks/vnet/subnets/wide";
    private const string Pool = $"{Group}/Microsoft.Network/applicationGateways/gw/backendAddressPools/pool";

    private readonly Dictionary<string, ProvisionedResource> _deployed = new(ResourceIds.Comparer);

    public PrivateAddressTests() => Deploy("Microsoft.Network/virtualNetworks", "vnet", """
        { "location": "westus", "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] },
          "subnets": [ { "name": "backend", "properties": { "addressPrefix": "10.0.1.0/29" } },
                       { "name": "wide", "properties": { "addressPrefix": "10.0.2.0/24" } } ] } }
        """);

    private ProvisionedResource Deploy(string type, string name, string body)
    {
        var id = $"{Group}/{type}/{name}";
        var resource = NetworkProvider.Provision(new ResourceInput(id, type, name, "2024-05-01", JsonNode.Parse(body)!.AsObject())
        {
            OfType = t => [.. _deployed.Values.Where(r => r.Type.Equals(t, StringComparison.OrdinalIgnoreCase))],
        }, _deployed.GetValueOrDefault);
        return _deployed[id] = resource;
    }

    private ProvisionedResource Nic(string name, string? staticAddress = null, string subnet = Subnet) =>
        Deploy("Microsoft.Network/networkInterfaces", name, $$"""
            { "location": "westus", "properties": { "ipConfigurations": [ { "name": "ipconfig1", "properties": {
                "privateIPAllocationMethod": "{{(staticAddress is null ? "Dynamic" : "Static")}}",
                {{(staticAddress is null ? "" : $"\"privateIPAddress\": \"{staticAddress}\",")}}
                "subnet": { "id": "{{subnet}}" },
                "applicationGatewayBackendAddressPools": [ { "id": "{{Pool}}" } ] } } ] } }
            """);

    private static string? AddressOf(ProvisionedResource nic) =>
        (string?)NetworkProvider.Render(nic, "2024-05-01")["properties"]!["ipConfigurations"]![0]!["properties"]!["privateIPAddress"];

    [Fact]
    public void Dynamic_interfaces_take_the_lowest_free_addresses_after_the_four_Azure_reserves()
    {
        Assert.Equal("10.0.1.4", AddressOf(Nic("nic1")));
        Assert.Equal("10.0.1.5", AddressOf(Nic("nic2")));
    }

    [Fact]
    public void A_redeployed_interface_keeps_its_address_and_a_deleted_one_frees_it()
    {
        Nic("nic1");
        var second = AddressOf(Nic("nic2"));
        Assert.Equal(second, AddressOf(Nic("nic2")));

        _deployed.Remove($"{Group}/Microsoft.Network/networkInterfaces/nic1");
        Assert.Equal(second, AddressOf(Nic("nic2")));
        Assert.Equal("10.0.1.4", AddressOf(Nic("nic3")));
    }

    [Fact]
    public void A_static_address_is_kept_as_given_and_dynamic_ones_go_around_it()
    {
        Assert.Equal("10.0.1.4", AddressOf(Nic("fixed", "10.0.1.4")));
        Assert.Equal("10.0.1.5", AddressOf(Nic("nic1")));
    }

    [Theory]
    [InlineData("10.0.2.4", "PrivateIPAddressNotInSubnet")]
    [InlineData("10.0.1.1", "PrivateIPAddressInReservedRange")]
    [InlineData("10.0.1.7", "PrivateIPAddressInReservedRange")]
    [InlineData("10.0.1.4", "PrivateIPAddressInUse")]
    public void A_static_address_outside_the_subnet_reserved_or_taken_is_refused(string address, string code)
    {
        Nic("first");
        var error = Assert.Throws<ArmException>(() => Nic("second", address)).Error;
        Assert.Equal(code, error.Code);
        Assert.Equal("properties.ipConfigurations[0].properties.privateIPAddress", error.Target);
        Assert.Contains(address, error.Message);
    }

    [Fact]
    public void A_full_subnet_is_refused_naming_its_prefix()
    {
        // A /29 has three addresses Azure hands out: .4, .5 and .6.
        Nic("nic1");
        Nic("nic2");
        Nic("nic3");
        var full = Assert.Throws<ArmException>(() => Nic("nic4")).Error;

        Assert.Equal("SubnetIsFull", full.Code);
        Assert.Contains("10.0.1.0/29", full.Message);
    }

    [Fact]
    public void An_interface_whose_subnet_is_not_deployed_yet_gets_its_address_when_it_is()
    {
        const string later = $"{Group}/Microsoft.Network/virtualNetworks/later/subnets/backend";
        Assert.Null(AddressOf(Nic("nic1", subnet: later)));

        Deploy("Microsoft.Network/virtualNetworks", "later", """
            { "location": "westus", "properties": { "subnets": [ { "name": "backend", "properties": { "addressPrefix": "10.9.0.0/24" } } ] } }
            """);
        Assert.Equal("10.9.0.4", AddressOf(Nic("nic1", subnet: later)));
    }

    [Fact]
    public void Each_scale_set_instance_gets_its_own_address_kept_across_scaling_and_never_shown()
    {
        var scaleSet = ScaleSet(capacity: 2);
        Assert.Equal("10.0.2.6", AddressOf(Nic("nic1", subnet: WideSubnet)));
        var scaledUp = ScaleSet(capacity: 3);
        var scaledDown = ScaleSet(capacity: 1);

        Assert.Equal(["own.example", "10.0.2.4", "10.0.2.5"], Members(scaleSet));
        Assert.Equal(["own.example", "10.0.2.4", "10.0.2.5", "10.0.2.7"], Members(scaledUp));
        Assert.Equal(["own.example", "10.0.2.4"], Members(scaledDown));
        Assert.DoesNotContain("10.0.2.", NetworkProvider.Render(scaledUp, "2024-05-01").ToJsonString());
    }

    private ProvisionedResource ScaleSet(int capacity) => Deploy("Microsoft.Compute/virtualMachineScaleSets", "vmss", $$"""
        { "location": "westus", "sku": { "name": "Standard_B1s", "capacity": {{capacity}} },
          "properties": { "virtualMachineProfile": { "networkProfile": { "networkInterfaceConfigurations": [ { "name": "nic",
            "properties": { "primary": true, "ipConfigurations": [ { "name": "ipconfig", "properties": {
              "subnet": { "id": "{{WideSubnet}}" }, "applicationGatewayBackendAddressPools": [ { "id": "{{Pool}}" } ] } } ] } } ] } } } }
        """);

    /// <summary>The pool's members as the data plane reads them, beside a gateway whose pool lists one of its own.</summary>
    private List<string> Members(ProvisionedResource member)
    {
        var gateway = NetworkProvider.Provision(ReferenceDeployment.GatewayInput(), ReferenceDeployment.Neighbours());
        var body = (JsonObject)gateway.Body.DeepClone();
        body["properties"]!["backendAddressPools"]![0]!["id"] = Pool;
        body["properties"]!["backendAddressPools"]![0]!["properties"]!["backendAddresses"] = new JsonArray(new JsonObject { ["fqdn"] = "own.example" });
        var read = NetworkProvider.ReadApplicationGateways([gateway with { Body = body }, member]).Single();
        return [.. read.BackendAddressPools.Single(p => p.Id == Pool).BackendAddresses.Select(a => a.Host)];
    }

    [Fact]
    public void An_interface_that_names_a_pool_makes_its_address_a_member_after_the_pool_s_own()
    {
        Assert.Equal(["own.example", "10.0.1.4"], Members(Nic("nic1")));
    }

    [Fact]
    public void Each_public_IP_gets_a_loopback_address_of_its_own_kept_across_redeploys()
    {
        string? Address(string name) => (string?)NetworkProvider.Render(Deploy("Microsoft.Network/publicIPAddresses", name,
            """{ "location": "westus", "sku": { "name": "Standard" } }"""), "2024-05-01")["properties"]!["ipAddress"];

        Assert.Equal("127.0.0.1", Address("first"));
        Assert.Equal("127.0.0.2", Address("second"));
        Assert.Equal("127.0.0.1", Address("first"));
        _deployed.Remove($"{Group}/Microsoft.Network/publicIPAddresses/first");
        Assert.Equal("127.0.0.2", Address("second"));
        Assert.Equal("127.0.0.1", Address("third"));
    }
}
