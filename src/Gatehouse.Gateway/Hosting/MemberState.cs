using Gatehouse.Gateway.Backends;

namespace Gatehouse.Gateway.Hosting;

/// <summary>What backend health reports for a member (the API's <c>health</c> values).</summary>
internal enum MemberHealth { Unknown, Up, Down, Draining }

/// <summary>
/// One member's runtime state: its health as probes and failed connections left it, and the last probe's log.
/// Written by the prober and by requests that fail to connect; read lock-free by the request path.
/// </summary>
internal sealed class MemberState(BackendMember member)
{
    private volatile BackendMember _member = member;
    private volatile int _health = (int)MemberHealth.Unknown;
    private volatile string? _log;
    private int _failures;
    private NameAnswer? _answerSeen;
    private int _active;

    public BackendMember Member
    {
        get => _member;
        set => _member = value;
    }

    public MemberHealth Health => (MemberHealth)_health;

    /// <summary>The answer of the member's name seen by the last forward before this one, when it was another one.</summary>
    public NameAnswer? SwapAnswer(NameAnswer answer)
    {
        var previous = Interlocked.Exchange(ref _answerSeen, answer);
        return previous == answer ? null : previous;
    }

    public string? Log => _log;

    /// <summary>Requests being forwarded to the member now, which least connections compares.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>Counts a forward in <see cref="Active"/> until the returned scope is disposed.</summary>
    public ActiveRequest Forwarding()
    {
        Interlocked.Increment(ref _active);
        return new ActiveRequest(this);
    }

    public readonly struct ActiveRequest(MemberState member) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref member._active);
    }

    /// <summary>A member not yet probed takes traffic; one that failed its threshold does not until a probe succeeds.</summary>
    public bool TakesTraffic => Health != MemberHealth.Down;

    /// <summary>One success re-admits the member (appgw-behaviour §5.9).</summary>
    public void ProbeSucceeded(string log)
    {
        Interlocked.Exchange(ref _failures, 0);
        _log = log;
        _health = (int)MemberHealth.Up;
    }

    public void ProbeFailed(string log, int unhealthyThreshold)
    {
        _log = log;
        if (Interlocked.Increment(ref _failures) >= unhealthyThreshold) _health = (int)MemberHealth.Down;
    }

    /// <summary>Passive detection: a request that could not connect takes the member out until a probe brings it back.</summary>
    public void ConnectFailed()
    {
        _log = ProbeMessages.ConnectFailed;
        _health = (int)MemberHealth.Down;
    }
}
