using System.Buffers;
using System.Net.Security;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Gateway.Tls;

/// <summary>
/// <c>ciphers_supported</c>: the cipher suites of the client's ClientHello, as nginx's <c>$ssl_ciphers</c> lists them
/// (OpenSSL names joined by <c>:</c>, unknown ones as <c>0x</c> and four hex digits). SslStream does not expose the
/// ClientHello, so a connection middleware ahead of TLS peeks at it without consuming a byte.
/// </summary>
internal static class ClientHelloCiphers
{
    private const byte HandshakeRecord = 0x16;
    private const byte ClientHello = 0x01;
    private const int RecordHeader = 5;

    /// <summary>A ClientHello bigger than one maximal record is not one a client sends.</summary>
    private const int MaxPeekBytes = RecordHeader + 16 * 1024;

    private static readonly TimeSpan PeekTimeout = TimeSpan.FromSeconds(10);

    public static string Of(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(typeof(ClientHelloCiphers), out var ciphers) == true
            ? (string)ciphers!
            : "";

    /// <summary>Connection middleware: records the list (when the first bytes are a ClientHello), then hands every byte on to TLS.</summary>
    public static async Task PeekAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var input = connection.Transport.Input;
        using var timeout = new CancellationTokenSource(PeekTimeout);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(timeout.Token);
                var buffer = result.Buffer;
                var parsed = TryParse(buffer, out var ciphers);
                if (parsed is not null || result.IsCompleted || buffer.Length >= MaxPeekBytes)
                {
                    if (ciphers is not null) connection.Items[typeof(ClientHelloCiphers)] = ciphers;
                    // Nothing consumed or examined: TLS reads the same bytes at once.
                    input.AdvanceTo(buffer.Start);
                    break;
                }
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            // A client that says nothing gets no list; the handshake's own timeout deals with it.
        }
        await next(connection);
    }

    /// <summary>True when done (with <paramref name="ciphers"/> when it was a ClientHello), null when more bytes are needed.</summary>
    internal static bool? TryParse(ReadOnlySequence<byte> buffer, out string? ciphers)
    {
        ciphers = null;
        var reader = new SequenceReader<byte>(buffer);
        // Record header, handshake type and length, client version, random.
        if (!reader.TryRead(out var recordType)) return null;
        if (recordType != HandshakeRecord) return true;
        if (!Skip(ref reader, 4) || !reader.TryRead(out var handshakeType)) return null;
        if (handshakeType != ClientHello) return true;
        if (!Skip(ref reader, 3 + 2 + 32) || !reader.TryRead(out var sessionIdLength) || !Skip(ref reader, sessionIdLength)) return null;
        if (!reader.TryReadBigEndian(out short suitesLength) || reader.Remaining < (ushort)suitesLength) return null;
        var list = new StringBuilder();
        for (var i = 0; i < (ushort)suitesLength / 2; i++)
        {
            reader.TryReadBigEndian(out short value);
            var suite = (TlsCipherSuite)(ushort)value;
            if (list.Length > 0) list.Append(':');
            list.Append(Enum.IsDefined(suite) ? CipherSuiteNames.OpenSsl(suite) : $"0x{(ushort)value:x4}");
        }
        ciphers = list.ToString();
        return true;
    }

    private static bool Skip(ref SequenceReader<byte> reader, long count)
    {
        if (reader.Remaining < count) return false;
        reader.Advance(count);
        return true;
    }
}
