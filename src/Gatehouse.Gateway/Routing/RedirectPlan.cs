using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Gateway.Routing;

/// <summary>
/// A redirectConfiguration compiled: its status page and how the Location is made from the request
/// (appgw-behaviour §5.6). A URL target never takes the request's path, only its query string.
/// </summary>
internal sealed class RedirectPlan
{
    private readonly GatewayPage _page;
    private readonly string? _url;
    private readonly string _scheme;
    private readonly string? _host;
    private readonly string _port;
    private readonly bool _includePath;
    private readonly bool _includeQueryString;

    private RedirectPlan(int statusCode, string? url, string scheme, string? host, string port, bool includePath, bool includeQueryString)
    {
        _page = GatewayPage.ForStatus(statusCode, Reason(statusCode));
        (_url, _scheme, _host, _port, _includePath, _includeQueryString) = (url, scheme, host, port, includePath, includeQueryString);
    }

    public static RedirectPlan ToUrl(int statusCode, string url, bool includeQueryString) =>
        new(statusCode, url, "", null, "", false, includeQueryString);

    /// <param name="host">The listener's one host name; null sends the request's host.</param>
    public static RedirectPlan ToListener(int statusCode, bool https, string? host, int port, bool includePath, bool includeQueryString)
    {
        var scheme = https ? "https" : "http";
        var isDefaultPort = port == (https ? 443 : 80);
        return new(statusCode, null, scheme, host, isDefaultPort ? "" : ":" + port.ToString(CultureInfo.InvariantCulture),
            includePath, includeQueryString);
    }

    public string Location(HttpRequest request)
    {
        var query = _includeQueryString && request.QueryString.HasValue ? request.QueryString.Value! : "";
        if (_url is not null)
            return query.Length == 0 ? _url : _url + (_url.Contains('?') ? "&" + query[1..] : query);
        var path = _includePath ? request.Path.ToUriComponent() : "/";
        return $"{_scheme}://{_host ?? request.Host.Host}{_port}{(path.Length == 0 ? "/" : path)}{query}";
    }

    public Task WriteAsync(HttpContext context)
    {
        context.Response.Headers.Location = Location(context.Request);
        return _page.WriteAsync(context);
    }

    private static string Reason(int statusCode) => statusCode switch
    {
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        _ => "Temporary Redirect",
    };
}
