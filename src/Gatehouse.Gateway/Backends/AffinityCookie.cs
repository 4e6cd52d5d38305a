using Microsoft.AspNetCore.Http;

namespace Gatehouse.Gateway.Backends;

/// <summary>
/// Cookie-based affinity: <c>ApplicationGatewayAffinity</c> (or the settings' name) and its <c>CORS</c> twin with
/// <c>SameSite=None; Secure</c>, both carrying a value that names a member (appgw-behaviour §3).
/// </summary>
internal sealed class AffinityCookie
{
    public const string DefaultName = "ApplicationGatewayAffinity";

    private readonly string _name;
    private readonly string _corsName;

    public AffinityCookie(string? name)
    {
        _name = string.IsNullOrEmpty(name) ? DefaultName : name;
        _corsName = _name + "CORS";
    }

    /// <summary>The member value the client came back with, from either cookie; null when it sent none.</summary>
    public string? Read(HttpRequest request) => request.Cookies[_name] ?? request.Cookies[_corsName];

    /// <summary>The two Set-Cookie values that bind the client to <paramref name="member"/>; no Secure or HttpOnly on the main one, as Azure sends.</summary>
    public string[] SetCookies(BackendMember member) =>
        [$"{_name}={member.AffinityValue}; Path=/", $"{_corsName}={member.AffinityValue}; Path=/; SameSite=None; Secure"];
}
