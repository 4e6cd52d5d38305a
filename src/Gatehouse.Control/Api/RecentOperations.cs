namespace Gatehouse.Control.Api;

/// <summary>
/// What a client polls after a 202, by a new operation id: the newest <see cref="Capacity"/> only, in memory, since a
/// client polls right away and a restart forgets them as ARM's expire.
/// </summary>
internal sealed class RecentOperations<T>(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, T> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<string> _order = new();

    public int Capacity => capacity;

    /// <summary>Keeps <paramref name="value"/> under a new id, forgetting the oldest beyond <see cref="Capacity"/>; returns the id.</summary>
    public string Add(T value)
    {
        var id = Guid.NewGuid().ToString();
        lock (_gate)
        {
            _byId[id] = value;
            _order.Enqueue(id);
            while (_order.Count > capacity) _byId.Remove(_order.Dequeue());
        }
        return id;
    }

    public bool TryGet(string id, out T value)
    {
        lock (_gate) return _byId.TryGetValue(id, out value!);
    }
}
