using System.Text.Json.Nodes;
using Gatehouse.Arm;

namespace Gatehouse.Network.Tests;

/// <summary>listKeys of storage accounts and Redis caches: Azure's shapes, keys derived from the id and the caller's secret.</summary>
public sealed class AccessKeysTests
{
    private const string Storage = "/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/store1";
    private const string Redis = "/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Cache/Redis/cache1";
    private static readonly DateTimeOffset Created = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static AccessKeys Keys(byte fill = 7) => new(Enumerable.Repeat(fill, 32).ToArray(), Created);

    private static JsonNode? ListKeys(AccessKeys keys, string id, string type) => keys.List(new ListCall(id, type, "2023-01-01", "listKeys", null));

    [Fact]
    public void Storage_account_keys_have_Azure_shape_and_88_characters()
    {
        var keys = ListKeys(Keys(), Storage, "Microsoft.Storage/storageAccounts")!["keys"]!.AsArray();

        Assert.Equal(["key1", "key2"], keys.Select(k => (string)k!["keyName"]!));
        Assert.All(keys, key =>
        {
            Assert.Equal(88, ((string)key!["value"]!).Length);
            Assert.Equal(64, Convert.FromBase64String((string)key["value"]!).Length);
            Assert.Equal("FULL", (string?)key["permissions"]);
            Assert.Equal(Created, DateTimeOffset.Parse((string)key["creationTime"]!, System.Globalization.CultureInfo.InvariantCulture));
        });
        Assert.NotEqual((string?)keys[0]!["value"], (string?)keys[1]!["value"]);
    }

    [Fact]
    public void Redis_keys_are_a_primary_and_a_secondary_key_of_44_characters()
    {
        var keys = ListKeys(Keys(), Redis, "Microsoft.Cache/Redis")!.AsObject();

        Assert.Equal(["primaryKey", "secondaryKey"], keys.Select(p => p.Key));
        Assert.All(keys, key => Assert.Equal(44, ((string)key.Value!).Length));
    }

    [Fact]
    public void The_same_id_and_secret_give_the_same_keys_in_any_casing_and_another_id_or_secret_other_keys()
    {
        const string type = "Microsoft.Storage/storageAccounts";
        var key = (string?)ListKeys(Keys(), Storage, type)!["keys"]![0]!["value"];

        Assert.Equal(key, (string?)ListKeys(Keys(), Storage.ToUpperInvariant(), type.ToLowerInvariant())!["keys"]![0]!["value"]);
        Assert.NotEqual(key, (string?)ListKeys(Keys(), Storage + "x", type)!["keys"]![0]!["value"]);
        Assert.NotEqual(key, (string?)ListKeys(Keys(fill: 8), Storage, type)!["keys"]![0]!["value"]);
    }

    [Fact]
    public void Other_functions_and_types_are_not_answered()
    {
        Assert.Null(Keys().List(new ListCall(Storage, "Microsoft.Storage/storageAccounts", "2023-01-01", "listAccountSas", new JsonObject())));
        Assert.Null(ListKeys(Keys(), "/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Web/sites/app", "Microsoft.Web/sites"));
    }

    [Fact]
    public void A_secret_shorter_than_32_bytes_is_refused() =>
        Assert.Throws<ArgumentException>(() => new AccessKeys(new byte[16], Created));
}
