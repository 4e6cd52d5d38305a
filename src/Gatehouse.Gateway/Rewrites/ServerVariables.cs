using System.Collections.Frozen;
using System.Globalization;
using System.Security.Authentication;
using Gatehouse.Gateway.Tls;
using Gatehouse.Network.ApplicationGateways;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.Gateway.Rewrites;

/// <summary>The server variables (<c>{var_name}</c>) Azure documents and this gateway serves (appgw-behaviour §2.1, §2.2).</summary>
internal static class ServerVariables
{
    private static readonly FrozenDictionary<string, Func<RequestScope, string>> Readers =
        new Dictionary<string, Func<RequestScope, string>>
        {
            ["client_certificate"] = s => s.Certificate.Certificate,
            ["client_certificate_verification"] = s => s.Certificate.Verification,
            ["client_certificate_fingerprint"] = s => s.Certificate.Fingerprint,
            ["client_certificate_subject"] = s => s.Certificate.Subject,
            ["client_certificate_issuer"] = s => s.Certificate.Issuer,
            ["client_certificate_serial"] = s => s.Certificate.Serial,
            ["client_certificate_start_date"] = s => s.Certificate.StartDate,
            ["client_certificate_end_date"] = s => s.Certificate.EndDate,
            ["client_ip"] = s => s.ClientIp,
            ["client_port"] = s => s.ClientPort,
            ["add_x_forwarded_for_proxy"] = s => s.AppendForwardedFor(s.ClientIp),
            ["host"] = s => s.Context.Request.Host.Host,
            ["http_method"] = s => s.Context.Request.Method,
            ["http_version"] = s => HttpVersion(s.Context.Request.Protocol),
            ["request_scheme"] = s => s.Context.Request.Scheme,
            ["request_uri"] = s => RequestUri(s.Context),
            ["uri_path"] = s => s.Context.Request.Path.HasValue ? s.Context.Request.Path.Value! : "/",
            ["query_string"] = s => Query(s.Context),
            ["request_query"] = s => Query(s.Context),
            ["server_port"] = s => s.Listener.FrontendPortText,
            ["ssl_enabled"] = s => s.Context.Request.IsHttps ? "On" : "",
            ["ssl_connection_protocol"] = s => TlsVersion(s.Context),
            ["ciphers_supported"] = s => ClientHelloCiphers.Of(s.Context),
            ["ciphers_used"] = s => ConnectionVariables.CipherUsed(s.Context),
            ["client_tcp_rtt"] = s => ConnectionVariables.ClientTcpRtt(s.Context),
            ["client_user"] = s => ConnectionVariables.ClientUser(s.Context),
            ["http_status"] = s => s.Context.Response.StatusCode.ToString(CultureInfo.InvariantCulture),
            ["received_bytes"] = s => ConnectionVariables.ReceivedBytes(s.Context),
            ["sent_bytes"] = s => ConnectionVariables.SentBytes(s.Context),
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The reader for <paramref name="name"/> (without <c>var_</c>); null when the gateway does not serve it.</summary>
    public static Func<RequestScope, string>? Find(string name)
    {
        if (name.StartsWith(ServerVariableNames.CookiePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var cookie = name[ServerVariableNames.CookiePrefix.Length..];
            return s => s.Context.Request.Cookies[cookie] ?? "";
        }
        return Readers.GetValueOrDefault(name);
    }

    /// <summary>The original path and query exactly as the client sent them.</summary>
    public static string RequestUri(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : context.Request.Path + context.Request.QueryString;

    public static string Query(HttpContext context) =>
        context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : "";

    public static string HttpVersion(string protocol) => protocol == HttpProtocol.Http2 ? "HTTP/2.0" : protocol;

    public static string TlsVersion(HttpContext context) => TlsVersion(context.Features.Get<ITlsHandshakeFeature>()?.Protocol);

    /// <summary>OpenSSL's name of the protocol, as nginx's <c>$ssl_protocol</c>; empty without TLS.</summary>
    public static string TlsVersion(SslProtocols? protocol) => protocol switch
    {
        SslProtocols.Tls12 => "TLSv1.2",
        SslProtocols.Tls13 => "TLSv1.3",
        _ => "",
    };
}
