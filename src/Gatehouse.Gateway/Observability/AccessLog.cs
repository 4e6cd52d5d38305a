using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Gateway.Observability;

/// <summary>Where finished access log lines go; called by the writer task only, never on the request path, so it may block on I/O.</summary>
public interface IAccessLogSink : IDisposable
{
    /// <summary>One JSON line, without its line feed.</summary>
    void Write(ReadOnlySpan<byte> line);

    /// <summary>Called when no more lines are waiting, so that readers of the log see every line written so far.</summary>
    void Flush();
}

/// <summary>
/// The access log: requests hand their entry to a bounded channel and go on; one background task serializes the entries
/// and writes them to the sinks. When the channel is full the entry is dropped and counted: logging never makes a
/// request wait.
/// </summary>
internal sealed class AccessLog : IAsyncDisposable
{
    private const int Capacity = 16_384;

    private readonly Channel<AccessLogEntry> _entries = Channel.CreateBounded<AccessLogEntry>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly IReadOnlyList<IAccessLogSink> _sinks;
    private readonly ILogger _logger;
    private readonly Task _writer;
    private long _dropped;

    public AccessLog(IReadOnlyList<IAccessLogSink> sinks, ILogger logger)
    {
        _sinks = sinks;
        _logger = logger;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Entries lost because the writer fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Add(AccessLogEntry entry)
    {
        // With FullMode.Wait, TryWrite fails instead of waiting when the channel is full.
        if (!_entries.Writer.TryWrite(entry)) Interlocked.Increment(ref _dropped);
    }

    private async Task WriteAsync()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(buffer);
        var reader = _entries.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var entry))
            {
                buffer.ResetWrittenCount();
                json.Reset(buffer);
                JsonSerializer.Serialize(json, entry, AccessLogJson.Default.AccessLogEntry);
                foreach (var sink in _sinks) Guard(sink, s => s.Write(buffer.WrittenSpan));
            }
            foreach (var sink in _sinks) Guard(sink, s => s.Flush());
        }
    }

    /// <summary>A failing sink (a full disk) loses its lines; the others and the gateway go on.</summary>
    private void Guard(IAccessLogSink sink, Action<IAccessLogSink> action)
    {
        try
        {
            action(sink);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _logger.LogWarning(e, "An access log line could not be written to {Sink}", sink);
        }
    }

    /// <summary>Writes what is queued, then closes the sinks.</summary>
    public async ValueTask DisposeAsync()
    {
        _entries.Writer.TryComplete();
        await _writer;
        foreach (var sink in _sinks) sink.Dispose();
    }
}
