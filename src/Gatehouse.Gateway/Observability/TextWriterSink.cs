using System.Text;

namespace Gatehouse.Gateway.Observability;

/// <summary>Access log lines on a text writer, such as standard output for <c>serve --access-log-stdout</c>.</summary>
public sealed class TextWriterSink(TextWriter writer) : IAccessLogSink
{
    public void Write(ReadOnlySpan<byte> line) => writer.WriteLine(Encoding.UTF8.GetString(line));

    public void Flush() => writer.Flush();

    /// <summary>The writer belongs to whoever gave it (standard output outlives the gateway).</summary>
    public void Dispose()
    {
    }

    public override string ToString() => "standard output";
}
