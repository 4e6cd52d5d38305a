using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gatehouse.Control.Security;

namespace Gatehouse.Control.Portal;

/// <summary>One signed-in browser: the cookie carries <see cref="Id"/>, and its forms carry <see cref="FormToken"/>.</summary>
internal sealed record SignedInSession(string Id, string FormToken, DateTimeOffset Expires)
{
    /// <summary>Whether a form came from one of this session's pages (a synchronizer token: other sites cannot read it).</summary>
    public bool IssuedForm(string? presented) => presented is not null && TokenIssuer.SecretMatches(presented, FormToken);
}

/// <summary>
/// The portal's sessions, kept in memory so that signing out ends one at once: the cookie is a random id, worth nothing
/// once its session is gone (and never a bearer token for the API). A restart ends them all; the browser signs in again.
/// </summary>
internal sealed class PortalSessions
{
    private readonly ConcurrentDictionary<string, SignedInSession> _sessions = new(StringComparer.Ordinal);

    public SignedInSession Start()
    {
        var now = DateTimeOffset.UtcNow;
        // Ended ones go when a new one starts, so that the table holds only live sessions.
        foreach (var (id, session) in _sessions)
            if (session.Expires <= now) _sessions.TryRemove(id, out _);
        var started = new SignedInSession(RandomToken(), RandomToken(), now.Add(TokenIssuer.Lifetime));
        _sessions[started.Id] = started;
        return started;
    }

    public SignedInSession? Find(string? id) =>
        id is not null && _sessions.TryGetValue(id, out var session) && session.Expires > DateTimeOffset.UtcNow ? session : null;

    public void End(SignedInSession session) => _sessions.TryRemove(session.Id, out _);

    private static string RandomToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
