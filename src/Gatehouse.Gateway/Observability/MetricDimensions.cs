namespace Gatehouse.Gateway.Observability;

/// <summary>Azure Monitor's dimension names for Application Gateway metrics (appgw-behaviour §8.2), and the gateway's id.</summary>
public static class MetricDimensions
{
    /// <summary>The gateway's resource id: Azure scopes metrics to a resource; a scrape of several gateways needs it as a label.</summary>
    public const string ResourceId = "ResourceId";
    public const string Listener = "Listener";
    public const string BackendPool = "BackendPool";
    public const string BackendServer = "BackendServer";
    public const string BackendHttpSetting = "BackendHttpSetting";
    public const string HttpStatusGroup = "HttpStatusGroup";
    public const string TlsProtocol = "TlsProtocol";
}
