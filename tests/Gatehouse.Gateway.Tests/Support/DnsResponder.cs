using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Gateway.Tests.Support;

/// <summary>
/// A DNS server on 127.0.0.1 for one name: A queries get <see cref="Addresses"/> with a one-second TTL, AAAA queries an
/// empty answer, other names NXDOMAIN; while <see cref="Answering"/> is off, queries are counted and left unanswered.
/// </summary>
public sealed class DnsResponder : IAsyncDisposable
{
    public const int TtlSeconds = 1;

    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _serving;
    private readonly string _name;
    private volatile IPAddress[] _addresses;
    private volatile bool _answering = true;
    private int _unanswered;

    public DnsResponder(string name, params IPAddress[] addresses)
    {
        _name = name;
        _addresses = addresses;
        _serving = ServeAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.Client.LocalEndPoint!;

    public IPAddress[] Addresses { get => _addresses; set => _addresses = value; }

    public bool Answering { get => _answering; set => _answering = value; }

    /// <summary>Queries that arrived while <see cref="Answering"/> was off.</summary>
    public int Unanswered => Volatile.Read(ref _unanswered);

    private async Task ServeAsync()
    {
        try
        {
            while (true)
            {
                var query = await _socket.ReceiveAsync(_stopping.Token);
                if (!Answering)
                {
                    Interlocked.Increment(ref _unanswered);
                    continue;
                }
                if (Answer(query.Buffer) is { } answer) await _socket.SendAsync(answer, query.RemoteEndPoint, _stopping.Token);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    /// <summary>The response to one query: its id and question, then the A records when it asks for the name's.</summary>
    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 12) return null;
        var labels = new List<string>();
        var at = 12;
        while (at < query.Length && query[at] != 0)
        {
            labels.Add(System.Text.Encoding.ASCII.GetString(query, at + 1, query[at]));
            at += query[at] + 1;
        }
        var questionEnd = at + 5;
        if (questionEnd > query.Length) return null;
        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(at + 1));
        var known = string.Join('.', labels).Equals(_name, StringComparison.OrdinalIgnoreCase);
        var records = known && type == 1 ? _addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToArray() : [];
        var response = new List<byte>(query[..questionEnd]);
        // QR, RD, RA; NXDOMAIN for another name. One question, the records, nothing else.
        response[2] = 0x81;
        response[3] = (byte)(known ? 0x80 : 0x83);
        response[6] = 0;
        response[7] = (byte)records.Length;
        response[8] = response[9] = response[10] = response[11] = 0;
        foreach (var address in records)
            response.AddRange([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, TtlSeconds, 0, 4, .. address.GetAddressBytes()]);
        return [.. response];
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _serving;
        _socket.Dispose();
        _stopping.Dispose();
    }
}
