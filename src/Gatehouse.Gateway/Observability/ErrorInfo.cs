using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Gateway.Observability;

/// <summary>The access log's <c>error_info</c> codes (appgw-behaviour §6.2, §8.1).</summary>
internal static class ErrorInfo
{
    public const string NoError = "ERRORINFO_NO_ERROR";
    public const string InvalidHost = "ERRORINFO_INVALID_HOST";
    public const string HttpsNoCertificate = "ERRORINFO_HTTPS_NO_CERT";
    public const string UpstreamNoLive = "ERRORINFO_UPSTREAM_NO_LIVE";
    public const string UpstreamTimedOut = "ERRORINFO_UPSTREAM_TIMED_OUT";
    public const string UpstreamClosedConnection = "ERRORINFO_UPSTREAM_CLOSED_CONNECTION";
    public const string ClientClosedRequest = "ERRORINFO_CLIENT_CLOSED_REQUEST";
    public const string InvalidRequest = "ERRORINFO_INVALID_REQUEST";
    public const string InvalidMethodTrace = "ERRORINFO_INVALID_METHOD_TRACE";

    public static string For(ForwarderError error) => error switch
    {
        ForwarderError.None => NoError,
        ForwarderError.RequestTimedOut => UpstreamTimedOut,
        ForwarderError.Request or ForwarderError.NoAvailableDestinations => UpstreamNoLive,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
            or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestCanceled
            or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient => ClientClosedRequest,
        _ => UpstreamClosedConnection,
    };

    /// <summary>Whether the pool member answered at all: errors after its response headers came still count.</summary>
    public static bool BackendAnswered(ForwarderError error) => error is ForwarderError.None
        or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient or ForwarderError.ResponseBodyDestination;
}
