namespace Gatehouse.Gateway.Forwarding;

/// <summary>
/// Idle keep-alive connections of one (pool, settings) pair, per member, newest first. A connection idle longer than
/// SocketsHttpHandler's default (90 s) or closed by its backend is dropped when it is next looked at.
/// </summary>
internal sealed class Http1ConnectionPool : IDisposable
{
    private static readonly long IdleLimitMs = (long)TimeSpan.FromSeconds(90).TotalMilliseconds;

    private readonly Dictionary<string, Stack<Http1Connection>> _idle = new(StringComparer.Ordinal);
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
            if (!_disposed)
            {
                if (!_idle.TryGetValue(prefix, out var stack)) _idle[prefix] = stack = new Stack<Http1Connection>();
                stack.Push(connection);
                return;
            }
        }
        connection.Dispose();
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
