using System.Net;
using System.Text;
using Gatehouse.Gateway.Rewrites;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Gatehouse.Gateway.Waf;

/// <summary>What the firewall inspects of one request: the request as the client sent it, and its body once read.</summary>
internal sealed class WafRequest(HttpContext context, ReadOnlyMemory<byte> body)
{
    private Dictionary<string, StringValues>? _form;
    private Dictionary<string, StringValues>? _query;

    public HttpContext Context { get; } = context;

    /// <summary>The body as received, up to the policy's inspect limit.</summary>
    public ReadOnlyMemory<byte> Body { get; } = body;

    public IPAddress? ClientAddress { get; } = ClientAddressOf(context.Connection.RemoteIpAddress);

    public string ClientIp => ClientAddress?.ToString() ?? "";

    /// <summary>The client's address as the logs and rules see it: an IPv4 client on a dual-stack socket as IPv4.</summary>
    public static IPAddress? ClientAddressOf(IPAddress? remote) => remote is { IsIPv4MappedToIPv6: true } ? remote.MapToIPv4() : remote;

    public static string ClientIpOf(HttpContext context) => ClientAddressOf(context.Connection.RemoteIpAddress)?.ToString() ?? "";

    /// <summary>Path and query as the client sent them.</summary>
    public string Uri { get; } = ServerVariables.RequestUri(context);

    public string Host => Context.Request.Host.Value ?? "";

    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    public StringValues QueryArgument(string name) =>
        (_query ??= QueryHelpers.ParseQuery(Context.Request.QueryString.Value)).TryGetValue(name, out var value) ? value : StringValues.Empty;

    /// <summary>urlencoded form fields of the body; none for other content types.</summary>
    public Dictionary<string, StringValues> Form => _form ??=
        Context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
            ? QueryHelpers.ParseQuery(BodyText)
            : [];
}
