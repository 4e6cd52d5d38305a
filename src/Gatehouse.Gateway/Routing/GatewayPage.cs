using System.Text;
using Gatehouse.Gateway.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Gatehouse.Gateway.Routing;

/// <summary>
/// A response the gateway writes itself, in the nginx layout with Azure's signature
/// (appgw-behaviour §1.3, §6.2). Bodies are encoded once.
/// </summary>
internal sealed class GatewayPage
{
    private readonly byte[] _body;

    private GatewayPage(int statusCode, string title, string heading, string? detail, bool closeConnection, string errorInfo)
    {
        StatusCode = statusCode;
        CloseConnection = closeConnection;
        ErrorInfo = errorInfo;
        var detailLine = detail is null ? "" : $"<center>{detail}</center>\r\n";
        _body = Encoding.ASCII.GetBytes(
            $"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{heading}</h1></center>\r\n" +
            $"{detailLine}<hr><center>Microsoft-Azure-Application-Gateway/v2</center>\r\n</body>\r\n</html>\r\n");
    }

    public int StatusCode { get; }

    public bool CloseConnection { get; }

    /// <summary>The access log's <c>error_info</c> for a request answered with this page.</summary>
    public string ErrorInfo { get; }

    public static GatewayPage BadGateway { get; } = new(502, "502 Bad Gateway", "502 Bad Gateway", null, false,
        Observability.ErrorInfo.UpstreamNoLive);

    public static GatewayPage GatewayTimeout { get; } = new(504, "504 Gateway Time-out", "504 Gateway Time-out", null, false,
        Observability.ErrorInfo.UpstreamTimedOut);

    /// <summary>No listener on the port takes the Host (access log: ERRORINFO_INVALID_HOST).</summary>
    public static GatewayPage InvalidHost { get; } = new(404, "404 Not Found", "404 Not Found", null, false,
        Observability.ErrorInfo.InvalidHost);

    /// <summary>Strict listener, no client certificate (nginx 496, sent as 400; access log: ERRORINFO_HTTPS_NO_CERT).</summary>
    public static GatewayPage NoClientCertificate { get; } = new(400, "400 No required SSL certificate was sent",
        "400 Bad Request", "No required SSL certificate was sent", true, Observability.ErrorInfo.HttpsNoCertificate);

    /// <summary>Strict listener, a client certificate that does not verify (nginx 495, sent as 400).</summary>
    public static GatewayPage ClientCertificateError { get; } = new(400, "400 The SSL certificate error",
        "400 Bad Request", "The SSL certificate error", true, Observability.ErrorInfo.HttpsNoCertificate);

    /// <summary>
    /// The Host picks a listener whose client-certificate policy differs from the one negotiated for the
    /// connection's SNI; serving it would skip that listener's certificate check (as nginx answers). The
    /// connection stays: every request on it is checked, and HTTP/2 clients retry the stream elsewhere.
    /// </summary>
    /// Azure has no such answer; its nearest access-log code is ERRORINFO_INVALID_HOST.
    public static GatewayPage MisdirectedRequest { get; } = new(421, "421 Misdirected Request", "421 Misdirected Request", null, false,
        Observability.ErrorInfo.InvalidHost);

    /// <summary>TRACE, which v2 does not serve (nginx's answer, access log: ERRORINFO_INVALID_METHOD_TRACE).</summary>
    public static GatewayPage TraceNotAllowed { get; } = ForStatus(405, "Not Allowed", Observability.ErrorInfo.InvalidMethodTrace);

    /// <summary>A request whose body breaks HTTP framing (a malformed chunk): the client's fault, and the connection cannot be reused.</summary>
    public static GatewayPage BadRequest { get; } = new(400, "400 Bad Request", "400 Bad Request", null, true,
        Observability.ErrorInfo.InvalidRequest);

    /// <summary>No valid Entra ID token on a rule that denies such requests; the router adds <c>WWW-Authenticate: Bearer</c>.</summary>
    public static GatewayPage Unauthorized { get; } = ForStatus(401, "Authorization Required");

    /// <summary>A rewrite rerouted a request to a path rule whose rule set reroutes it again.</summary>
    public static GatewayPage RerouteLoop { get; } = ForStatus(500, "Internal Server Error");

    /// <summary>A page whose title and heading are the status line, as nginx writes for redirects and most errors.</summary>
    public static GatewayPage ForStatus(int statusCode, string reason, string errorInfo = Observability.ErrorInfo.NoError)
    {
        var title = $"{statusCode} {reason}";
        return new(statusCode, title, title, null, false, errorInfo);
    }

    public Task WriteAsync(HttpContext context) => WriteAsync(context, _body);

    /// <summary>This page as a whole HTTP/1.1 response that closes the connection, written before Kestrel parsed the request.</summary>
    public byte[] ClosingResponse() => ClosingResponse(StatusCode, _body);

    public static byte[] ClosingResponse(int statusCode, byte[] body)
    {
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {statusCode} {ReasonPhrases.GetReasonPhrase(statusCode)}\r\nContent-Type: text/html\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        return [.. head, .. body];
    }

    /// <summary>This page's status and connection handling with another body: a customErrorConfigurations page.</summary>
    public Task WriteAsync(HttpContext context, byte[] body)
    {
        var response = context.Response;
        // For the access log, read when the request ends.
        context.Features.Set(this);
        response.StatusCode = StatusCode;
        response.ContentType = "text/html";
        response.ContentLength = body.Length;
        // HTTP/2 has no Connection header; its streams are independent.
        if (CloseConnection && !HttpProtocol.IsHttp2(context.Request.Protocol)) response.Headers.Connection = "close";
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
