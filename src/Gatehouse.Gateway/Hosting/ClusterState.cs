using System.Net;
using Gatehouse.Gateway.Backends;
using Gatehouse.Gateway.Forwarding;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Hosting;

/// <summary>
/// The runtime side of a (pool, settings) pair, kept by the host beside the plan and carried across plans: member
/// health, the round-robin position over the members' weighted turns, members a redeploy removed that still drain their affinity sessions, and the
/// prober. Only <see cref="Update"/> and disposal belong to the configuration path; the rest is lock-free.
/// </summary>
internal sealed class ClusterState : IAsyncDisposable
{
    private volatile HttpMessageInvoker _client;
    private volatile BackendTls _tls;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _probing;
    private volatile ClusterPlan _plan;
    private volatile MemberState[] _members;
    private volatile MemberState[] _turns;
    private volatile DrainingMember[] _draining = [];
    private volatile TaskCompletionSource _updated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _next = -1;

    public ClusterState(ClusterPlan plan, HttpMessageInvoker client, BackendTls tls, TimeProvider time)
    {
        _tls = tls;
        _plan = plan;
        _members = [.. plan.Members.Select(m => new MemberState(m))];
        _turns = Turns(_members);
        _client = client;
        _time = time;
        _probing = ProbeAsync(_stopping.Token);
    }

    public ClusterPlan Plan => _plan;

    /// <summary>The client whose certificate validation is the settings' (the host owns it).</summary>
    public HttpMessageInvoker Client => _client;

    /// <summary>Idle keep-alive connections of the lean HTTP/1.1 path, per member.</summary>
    public Http1ConnectionPool Connections { get; } = new();

    /// <summary>How a layer-4 connection judges the member's certificate (the host owns it, for its whole life).</summary>
    public BackendTls Tls => _tls;

    /// <summary>Takes a new plan's version of the pair: members keep their health by address; removed ones drain when the settings say so.</summary>
    public void Update(ClusterPlan plan, HttpMessageInvoker client, BackendTls tls)
    {
        _client = client;
        _tls = tls;
        var now = _time.GetUtcNow();
        var removed = _members.ToDictionary(m => m.Member.Address, StringComparer.OrdinalIgnoreCase);
        var members = plan.Members.Select(member =>
        {
            if (!removed.Remove(member.Address, out var kept)) return new MemberState(member);
            kept.Member = member;
            return kept;
        }).ToArray();
        var draining = _draining.Where(d => d.Until > now && !members.Any(m => m.Member.AffinityValue == d.State.Member.AffinityValue));
        if (plan.DrainTimeout is { } drain) draining = draining.Concat(removed.Values.Select(s => new DrainingMember(s, now + drain)));
        _draining = [.. draining];
        _members = members;
        _turns = Turns(members);
        _plan = plan;
        // New members, or a new probe, are probed at once rather than after the old probe's interval.
        Interlocked.Exchange(ref _updated, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>
    /// The member that takes the next request, other than <paramref name="except"/>, by the cluster's algorithm: the next
    /// weighted turn (round robin), the fewest requests in flight per weight (least connections), or the turn the
    /// <paramref name="client"/>'s address hashes to (IP hash); the members after it when it takes no traffic. Null when none does.
    /// </summary>
    public MemberState? Next(MemberState? except = null, IPAddress? client = null) => _plan.Distribution switch
    {
        LoadDistributionAlgorithm.LeastConnections => Least(except),
        LoadDistributionAlgorithm.IpHash when client is not null => From(_turns, Hash(client), except),
        // One turn per pick, then the members after it: a turn taken per candidate could, between concurrent picks,
        // land on the same member that takes no traffic every time and miss the one that does.
        _ => From(_turns, (uint)Interlocked.Increment(ref _next), except),
    };

    private static MemberState? From(MemberState[] turns, uint start, MemberState? except)
    {
        for (var i = 0u; i < turns.Length; i++)
        {
            var candidate = turns[(start + i) % (uint)turns.Length];
            if (candidate.TakesTraffic && candidate != except) return candidate;
        }
        return null;
    }

    /// <summary>Ties go to the member after the last pick's start, so that idle members share the requests.</summary>
    private MemberState? Least(MemberState? except)
    {
        var members = _members;
        var start = (uint)Interlocked.Increment(ref _next);
        MemberState? least = null;
        for (var i = 0u; i < members.Length; i++)
        {
            var candidate = members[(start + i) % (uint)members.Length];
            if (!candidate.TakesTraffic || candidate == except) continue;
            if (least is null || (long)candidate.Active * least.Member.Weight < (long)least.Active * candidate.Member.Weight) least = candidate;
        }
        return least;
    }

    /// <summary>FNV-1a over the address: the same client lands on the same turn in every process and plan.</summary>
    private static uint Hash(IPAddress client)
    {
        var hash = 2166136261u;
        foreach (var b in (client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client).GetAddressBytes()) hash = (hash ^ b) * 16777619u;
        return hash;
    }

    /// <summary>
    /// Each member as many times as its weight, interleaved as smooth weighted round robin orders them (a 3:1 pair
    /// gives a a b a, not a a a b); the members themselves when every weight is 1.
    /// </summary>
    private static MemberState[] Turns(MemberState[] members)
    {
        if (members.All(m => m.Member.Weight == 1)) return members;
        var total = members.Sum(m => m.Member.Weight);
        var current = new int[members.Length];
        var turns = new MemberState[total];
        for (var turn = 0; turn < total; turn++)
        {
            var best = 0;
            for (var i = 0; i < members.Length; i++)
            {
                current[i] += members[i].Member.Weight;
                if (current[i] > current[best]) best = i;
            }
            current[best] -= total;
            turns[turn] = members[best];
        }
        return turns;
    }

    /// <summary>
    /// Once per new answer for the member's name (a member whose address is fixed has none): its idle lean connections
    /// to addresses the answer no longer holds are closed, and those busy are closed when their request ends.
    /// </summary>
    public void RetireGoneAddresses(MemberState member)
    {
        if (member.Member.Name?.Answer is not { } answer || member.SwapAnswer(answer) is not { } previous) return;
        foreach (var gone in previous.Addresses.Where(a => !answer.Holds(a))) Connections.Retire(member.Member.At(gone).Prefix);
    }

    /// <summary>The member an affinity cookie names, while it takes traffic (a removed one only until its drain ends).</summary>
    public MemberState? ByAffinity(string? value)
    {
        if (value is null) return null;
        foreach (var member in _members)
            if (member.Member.AffinityValue == value) return member.TakesTraffic ? member : null;
        var now = _time.GetUtcNow();
        foreach (var draining in _draining)
            if (draining.State.Member.AffinityValue == value && draining.Until > now && draining.State.TakesTraffic) return draining.State;
        return null;
    }

    /// <summary>Every member with its health, draining ones last.</summary>
    public IEnumerable<(MemberState State, MemberHealth Health)> Report()
    {
        var now = _time.GetUtcNow();
        return _members.Select(m => (m, m.Health))
            .Concat(_draining.Where(d => d.Until > now).Select(d => (d.State, MemberHealth.Draining)));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _probing;
        _stopping.Dispose();
        Connections.Dispose();
    }

    /// <summary>
    /// Probes every member at once, then waits the interval (v2 waits the full interval between rounds), or until a
    /// redeploy updates the pair.
    /// </summary>
    private async Task ProbeAsync(CancellationToken stopping)
    {
        await Task.Yield();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var probe = _plan.Probe;
                var (client, tls, updated) = (_client, _tls, _updated.Task);
                await Task.WhenAll(_members.Select(m => HealthProbe.ProbeAsync(client, tls, m, probe, stopping)));
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                var interval = Task.Delay(probe.Interval, _time, waiting.Token);
                await Task.WhenAny(interval, updated);
                await waiting.CancelAsync();
                stopping.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped with its plan.
        }
    }

    private sealed record DrainingMember(MemberState State, DateTimeOffset Until);
}
