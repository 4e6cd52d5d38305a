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

    public static string Success(int status) => $"Success. Received {status} status code";

    public static string StatusMismatch(string expected, int received) =>
        $"Status code of the backend's HTTP response did not match the probe setting. Expected:{expected} Received:{received}.";

    public static string BodyMismatch(string body) =>
        $"Body of the backend's HTTP response did not match the probe setting. Received response body doesn't contain {body}.";
}
