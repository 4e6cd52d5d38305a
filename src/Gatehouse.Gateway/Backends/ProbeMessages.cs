namespace Gatehouse.Gateway.Backends;

/// <summary>Azure's healthProbeLog texts (appgw-behaviour §6.1).</summary>
internal static class ProbeMessages
{
    public const string TimedOut =
        "Time taken by the backend to respond to application gateway's health probe is more than the timeout threshold in the probe setting.";

    public const string NotResolved =
        "Application Gateway could not create a probe for this backend. This usually happens when the FQDN of the backend has not been entered correctly.";

    public const string ConnectFailed =
        "Application Gateway could not connect to the backend. Check that the backend responds on the port used for the probe. " +
        "Also check whether any NSG/UDR/Firewall is blocking access to the Ip and port of this backend.";

    /// <summary>A layer-4 probe's success: the connection (and TLS handshake) was made.</summary>
    public const string Connected = "Success. Connection established";

    public const string TlsFailed =
        "Application Gateway could not complete a TLS handshake with the backend, or the backend's certificate is not trusted for its name.";

    public static string Success(int status) => $"Success. Received {status} status code";

    public static string StatusMismatch(string expected, int received) =>
        $"Status code of the backend's HTTP response did not match the probe setting. Expected:{expected} Received:{received}.";

    public static string BodyMismatch(string body) =>
        $"Body of the backend's HTTP response did not match the probe setting. Received response body doesn't contain {body}.";
}
