using System.Text.Json.Nodes;

namespace Gatehouse.Arm;

/// <summary>
/// One call of a list* function: <c>listKeys(resource, apiVersion, [body])</c> with the resource resolved to its id and
/// type as reference() resolves it. <see cref="Function"/> is the name as the template writes it.
/// </summary>
public sealed record ListCall(string ResourceId, string ResourceType, string ApiVersion, string Function, JsonNode? Body);

/// <summary>A linked template or parameters document could not be read; the message says why, without the URI.</summary>
public sealed class TemplateLinkException(string reason) : Exception(reason);
