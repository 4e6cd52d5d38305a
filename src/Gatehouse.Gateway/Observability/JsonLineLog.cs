using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Gateway.Observability;

/// <summary>Where finished log lines (access or firewall) go; called by the writer task only, never on the request path, so it may block on I/O.</summary>
public interface IAccessLogSink : IDisposable
{
    /// <summary>One JSON line, without its line feed.</summary>
    void Write(ReadOnlySpan<byte> line);

    /// <summary>Called when no more lines are waiting, so that readers of the log see every line written so far.</summary>
    void Flush();
}

/// <summary>
/// A log of JSON lines (the access log, the firewall log): requests hand their entry to a queue and go on; one writer
/// thread of its own serializes the entries and writes them to the sinks. When the queue is full the entry is dropped and counted: logging never makes a request
/// wait.
/// </summary>
/// <remarks>
/// The writer wakes on its own clock rather than on each entry: a request only enqueues (no lock, no thread to wake), and
/// under load one wake-up, one serialization pass and one flush serve a batch. Nothing it does runs on the thread pool,
/// whose threads would otherwise be woken, and spin, for the log.
/// </remarks>
internal sealed class JsonLineLog<TEntry> : IAsyncDisposable
{
    private const int Capacity = 16_384;

    // How long entries gather between passes while requests come, and how long the writer sleeps when none came: a reader
    // of the file sees a line within a moment either way.
    private static readonly TimeSpan Gathering = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentQueue<TEntry> _entries = new();
    private readonly JsonTypeInfo<TEntry> _json;
    private readonly IReadOnlyList<IAccessLogSink> _sinks;
    private readonly ILogger _logger;
    private readonly Thread _writer;
    private volatile bool _stopping;
    private int _queued;
    private long _dropped;

    public JsonLineLog(IReadOnlyList<IAccessLogSink> sinks, JsonTypeInfo<TEntry> json, string name, ILogger logger)
    {
        _sinks = sinks;
        _json = json;
        _logger = logger;
        _writer = new Thread(Write) { IsBackground = true, Name = $"{name} writer" };
        _writer.Start();
    }

    /// <summary>Entries lost because the writer fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Add(TEntry entry)
    {
        if (Interlocked.Increment(ref _queued) > Capacity)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            return;
        }
        _entries.Enqueue(entry);
    }

    private void Write()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(buffer);
        while (true)
        {
            // Read before draining, so that entries added before Dispose are written by this last pass.
            var stopping = _stopping;
            var wrote = false;
            while (_entries.TryDequeue(out var entry))
            {
                Interlocked.Decrement(ref _queued);
                buffer.ResetWrittenCount();
                json.Reset(buffer);
                JsonSerializer.Serialize(json, entry, _json);
                // Indexed: a foreach over the interface would allocate an enumerator per line.
                for (var i = 0; i < _sinks.Count; i++) Guard(_sinks[i], buffer.WrittenMemory, static (s, line) => s.Write(line.Span));
                wrote = true;
            }
            if (wrote)
                foreach (var sink in _sinks) Guard(sink, ReadOnlyMemory<byte>.Empty, static (s, _) => s.Flush());
            if (stopping) return;
            Thread.Sleep(wrote ? Gathering : Idle);
        }
    }

    /// <summary>A failing sink (a full disk) loses its lines; the others and the gateway go on.</summary>
    private void Guard(IAccessLogSink sink, ReadOnlyMemory<byte> line, Action<IAccessLogSink, ReadOnlyMemory<byte>> action)
    {
        try
        {
            action(sink, line);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _logger.LogWarning(e, "A log line could not be written to {Sink}", sink);
        }
    }

    /// <summary>Writes what is queued, then closes the sinks.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        await Task.Run(_writer.Join);
        foreach (var sink in _sinks) sink.Dispose();
    }
}
