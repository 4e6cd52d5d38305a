using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Gatehouse.Arm.Expressions;

/// <summary>
/// The objects reference() returned, with the type of the resource each is the state of, so that reading a property it
/// does not have names the type: a property the provider computes for that type and Gatehouse does not. Weak: an entry
/// lives as long as its object.
/// </summary>
internal static class ResourceStates
{
    private static readonly ConditionalWeakTable<JsonObject, string> Types = [];

    public static JsonObject Mark(JsonObject state, string type)
    {
        Types.AddOrUpdate(state, type);
        return state;
    }

    public static string? TypeOf(JsonObject value) => Types.TryGetValue(value, out var type) ? type : null;
}
