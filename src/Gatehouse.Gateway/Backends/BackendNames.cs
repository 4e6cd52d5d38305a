using System.Collections.Concurrent;
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Gateway.Backends;

/// <summary>
/// Backend pool FQDNs resolved as Azure resolves them (appgw-behaviour §5.7): through DNS, each answer kept for its TTL
/// and then asked for again, the last good answer kept (and the failure logged) when asking again fails. One
/// <see cref="BackendName"/> per name, shared by every plan and pool that names it, so a redeploy does not forget an answer.
/// The runtime owns it; the plan's members hold the cells it hands out.
/// </summary>
public sealed class BackendNames
{
    /// <summary>How soon a name is asked for again after DNS failed to answer for it.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly LookupClient _dns;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, BackendName> _names = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="server">The DNS server asked; null asks the system's (those of /etc/resolv.conf).</param>
    public BackendNames(IPEndPoint? server, ILogger logger)
    {
        var options = server is null ? new LookupClientOptions() : new LookupClientOptions(server);
        // The cell keeps the answer for its TTL; a cache here would hide the TTL's end.
        options.UseCache = false;
        options.Timeout = TimeSpan.FromSeconds(2);
        options.Retries = 1;
        options.ThrowDnsErrors = false;
        _dns = new LookupClient(options);
        _logger = logger;
    }

    public BackendName For(string host) => _names.GetOrAdd(host, name => new BackendName(name, this));

    /// <summary>
    /// The name's A and AAAA records, kept for their shortest TTL (at least a second); when there are none, the last good
    /// answer kept for <see cref="RetryAfter"/>, or no address (the member is then reached through the system's resolver).
    /// </summary>
    internal async Task<NameAnswer> AskAsync(string host, NameAnswer? last)
    {
        string failure;
        try
        {
            var responses = await Task.WhenAll(_dns.QueryAsync(host, QueryType.A), _dns.QueryAsync(host, QueryType.AAAA));
            var records = responses.SelectMany(r => r.Answers.OfType<AddressRecord>()).ToList();
            if (records.Count > 0)
                return new NameAnswer([.. records.Select(r => r.Address).Distinct()], TimeSpan.FromSeconds(Math.Max(1, records.Min(r => r.TimeToLive))));
            failure = responses.FirstOrDefault(r => r.HasError)?.ErrorMessage ?? "no A or AAAA record";
        }
        // Whatever kept DNS from answering (a timeout, a refused or malformed reply), the last good answer stands.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            failure = e.Message;
        }
        if (last is { Addresses.Length: > 0 })
        {
            _logger.LogWarning("DNS gave no address for backend {Host} ({Failure}); still sending it to {Addresses}", host, failure,
                string.Join(", ", last.Addresses.Select(a => a.ToString())));
            return new NameAnswer(last.Addresses, RetryAfter);
        }
        _logger.LogWarning("DNS gave no address for backend {Host} ({Failure}); it is looked up as the system looks up names", host, failure);
        return new NameAnswer([], RetryAfter);
    }
}

/// <summary>
/// One backend FQDN's addresses as DNS last gave them. Requests and probes take its addresses in turn; the first one to
/// find the answer past its TTL asks again in the background and is sent where the answer still says, so no request
/// waits for DNS but the very first.
/// </summary>
public sealed class BackendName
{
    private readonly string _host;
    private readonly BackendNames _names;
    private readonly Lock _asking = new();
    private volatile NameAnswer? _answer;
    private Task<NameAnswer>? _ask;
    private uint _turn;

    internal BackendName(string host, BackendNames names)
    {
        _host = host;
        _names = names;
    }

    /// <summary>The answer last taken, or null before the first.</summary>
    internal NameAnswer? Answer => _answer;

    /// <summary>The next address to send to; null when DNS gave none.</summary>
    internal async ValueTask<IPAddress?> NextAsync(CancellationToken cancellationToken)
    {
        var answer = _answer;
        if (answer is null) answer = await Ask().WaitAsync(cancellationToken);
        else if (answer.Expired) _ = Ask();
        return answer.Addresses.Length == 0 ? null : answer.Addresses[Interlocked.Increment(ref _turn) % (uint)answer.Addresses.Length];
    }

    /// <summary>One question at a time, whoever asks.</summary>
    private Task<NameAnswer> Ask()
    {
        lock (_asking)
            return _ask ??= Task.Run(async () =>
            {
                try
                {
                    return _answer = await _names.AskAsync(_host, _answer);
                }
                finally
                {
                    lock (_asking) _ask = null;
                }
            });
    }
}

/// <summary>The addresses DNS gave for a name (none when it gave none), until <paramref name="keepFor"/> has passed.</summary>
internal sealed class NameAnswer(IPAddress[] addresses, TimeSpan keepFor)
{
    private readonly long _until = Environment.TickCount64 + (long)keepFor.TotalMilliseconds;

    public IPAddress[] Addresses { get; } = addresses;

    public bool Expired => Environment.TickCount64 >= _until;

    public bool Holds(IPAddress address) => Array.IndexOf(Addresses, address) >= 0;
}
