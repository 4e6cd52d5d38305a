using System.Diagnostics;
using Gatehouse.Gateway.Authentication;
using Gatehouse.Gateway.Compilation;
using Gatehouse.Gateway.Backends;
using Gatehouse.Gateway.Tls;

namespace Gatehouse.Gateway.Observability;

/// <summary>
/// What the request path learns about one request, filled in as routing goes and read once when the request ends.
/// Belongs to one request only, so it needs no locks.
/// </summary>
internal sealed class Exchange
{
    public long Started { get; } = Stopwatch.GetTimestamp();

    /// <summary>Azure's <c>x-appgw-trace-id</c>: 32 lowercase hex digits, sent to the backend and logged as <c>transactionId</c>.</summary>
    public string TransactionId { get; } = NewTransactionId();

    public ListenerPlan? Listener { get; set; }

    public TlsConnectionState? Tls { get; set; }

    /// <summary>What the request's token came to, on a rule with Entra JWT validation.</summary>
    public EntraJwtOutcome? EntraJwt { get; set; }

    /// <summary>The pool member the request was last sent to; null when it was answered by the gateway alone.</summary>
    public BackendMember? Member { get; set; }

    /// <summary>From sending to the backend until its response was copied to the client.</summary>
    public TimeSpan BackendTime { get; set; }

    /// <summary>Unique, not secret: no system call per request.</summary>
    public static string NewTransactionId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
