using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gatehouse.Gateway.Compilation;
using Gatehouse.Gateway.Tls;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Gateway.Rewrites;

/// <summary>One request as the listener received it: what server variables, header values and the forwarded headers read.</summary>
internal sealed class RequestScope(HttpContext context, ListenerPlan listener, TlsConnectionState? tls, string traceId)
{
    private static readonly ClientCertificateVariables NoCertificate = ClientCertificateVariables.For(null, null);

    public HttpContext Context { get; } = context;

    public ListenerPlan Listener { get; } = listener;

    /// <summary>X-AppGW-Trace-Id, the same as the access log's transactionId.</summary>
    public string TraceId { get; } = traceId;

    public ClientCertificateVariables Certificate => tls?.Variables(Context.Connection.ClientCertificate) ?? NoCertificate;

    public string ClientIp => ClientAddress.ToString();

    public string ClientPort => Context.Connection.RemotePort.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>ip:port</c>, IPv6 as <c>[addr]:port</c>: one X-Forwarded-For entry.</summary>
    public string ClientEndPoint => ClientAddress.AddressFamily == AddressFamily.InterNetworkV6
        ? $"[{ClientAddress}]:{ClientPort}"
        : $"{ClientAddress}:{ClientPort}";

    /// <summary>The X-Forwarded-For the client sent, all values as one list; empty when none came.</summary>
    public string IncomingForwardedFor
    {
        get
        {
            var values = Context.Request.Headers["X-Forwarded-For"];
            return values.Count <= 1 ? values.ToString() : string.Join(", ", (IEnumerable<string?>)values);
        }
    }

    /// <summary><c>{incoming}, {entry}</c>, or just the entry when no X-Forwarded-For came in.</summary>
    public string AppendForwardedFor(string entry) =>
        IncomingForwardedFor is { Length: > 0 } incoming ? $"{incoming}, {entry}" : entry;

    private IPAddress ClientAddress
    {
        get
        {
            var address = Context.Connection.RemoteIpAddress ?? IPAddress.None;
            return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        }
    }
}
