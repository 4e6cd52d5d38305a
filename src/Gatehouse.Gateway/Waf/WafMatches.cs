namespace Gatehouse.Gateway.Waf;

/// <summary>
/// The rule messages one transaction logged, as the engine wrote them
/// (<c>ModSecurity: Warning. Matched ... [id "942100"] [msg "..."] [data "..."] ...</c>); read once the request is decided.
/// </summary>
internal sealed class WafMatches
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages => _messages;

    public void Add(string message) => _messages.Add(message);
}
