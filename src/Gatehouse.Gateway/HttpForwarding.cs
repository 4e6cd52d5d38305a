namespace Gatehouse.Gateway;

/// <summary>How HTTP requests reach plain-HTTP backends: the lean HTTP/1.1 path where it applies (the default), or YARP's forwarder for every request.</summary>
public enum HttpForwarding
{
    Lean,
    Yarp,
}
