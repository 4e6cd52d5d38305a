namespace Gatehouse.Gateway.Forwarding;

/// <summary>
/// Idle keep-alive connections of one (pool, settings) pair, per member address, newest first. A connection idle longer than
/// SocketsHttpHandler's default (90 s) or closed by its backend is dropped when it is next looked at; those to an
/// address its member's name no longer resolves to are closed when retired, or when their request ends.
/// </summary>
internal sealed class Http1ConnectionPool : IDisposable
{
    private static readonly long IdleLimitMs = (long)TimeSpan.FromSeconds(90).TotalMilliseconds;

    private readonly Dictionary<string, Stack<Http1Connection>> _idle = new(StringComparer.Ordinal);
    private readonly HashSet<string> _retired = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>An idle live connection to the member at <paramref name="prefix"/>, or null when there is none.</summary>
    public Http1Connection? Rent(string prefix)
    {
        var now = Environment.TickCount64;
        while (true)
        {
            Http1Connection? connection;
            lock (_idle)
            {
                // An address rented again is back in its name's answer.
                if (_retired.Count > 0) _retired.Remove(prefix);
                if (!_idle.TryGetValue(prefix, out var stack) || !stack.TryPop(out connection)) return null;
            }
            if (now - connection.IdleSince < IdleLimitMs && connection.IsAlive) return connection;
            connection.Dispose();
        }
    }

    public void Return(string prefix, Http1Connection connection)
    {
        connection.Reused = true;
        connection.IdleSince = Environment.TickCount64;
        lock (_idle)
        {
            if (!_disposed && !_retired.Contains(prefix))
            {
                if (!_idle.TryGetValue(prefix, out var stack)) _idle[prefix] = stack = new Stack<Http1Connection>();
                stack.Push(connection);
                return;
            }
        }
        connection.Dispose();
    }

    /// <summary>Closes the idle connections to <paramref name="prefix"/>, and those busy there as they come back.</summary>
    public void Retire(string prefix)
    {
        lock (_idle)
        {
            _retired.Add(prefix);
            if (!_idle.Remove(prefix, out var stack)) return;
            foreach (var connection in stack) connection.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_idle)
        {
            _disposed = true;
            foreach (var connection in _idle.Values.SelectMany(s => s)) connection.Dispose();
            _idle.Clear();
        }
    }
}
