using System.Buffers;
using System.Text;
using Gatehouse.Network.Vaults;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gatehouse.Control.KeyVault;

/// <summary>
/// The management port is also the HTTPS proxy through which clients reach the local Key Vault: a client that would
/// resolve <c>{vault}.vault.azure.net</c> in Azure is given <c>HTTPS_PROXY=http://127.0.0.1:PORT</c>, sends
/// <c>CONNECT {vault}.vault.azure.net:443</c>, and its tunnel continues into this port's own TLS, whose certificate names
/// every vault host. A connection that starts with TLS goes straight on. A CONNECT to any other host is refused, so the
/// port is no open proxy: nothing leaves the machine through it.
/// </summary>
internal static class VaultTunnel
{
    private const int MaxHeadBytes = 8192;
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);
    private const string Refusal = "This proxy reaches Key Vault hosts (*.vault.azure.net) only.";

    public static ListenOptions UseVaultTunnel(this ListenOptions listen)
    {
        listen.Use(next => async connection =>
        {
            if (await OpenAsync(connection)) await next(connection);
        });
        return listen;
    }

    /// <summary>Whether the connection goes on to TLS: it starts with anything but a CONNECT, or with a CONNECT to a vault host, answered 200.</summary>
    private static async Task<bool> OpenAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(HeadTimeout);
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(timeout.Token);
                var buffer = read.Buffer;
                var prefix = (int)Math.Min(buffer.Length, "CONNECT "u8.Length);
                if (!buffer.Slice(0, prefix).ToArray().AsSpan().SequenceEqual("CONNECT "u8[..prefix]))
                {
                    input.AdvanceTo(buffer.Start);
                    return true;
                }
                var reader = new SequenceReader<byte>(buffer);
                if (reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8))
                {
                    // Decoded before the advance, which releases the buffer it lies in.
                    var text = Encoding.ASCII.GetString(head);
                    input.AdvanceTo(reader.Position);
                    return await AnswerAsync(connection, text, timeout.Token);
                }
                if (read.IsCompleted || buffer.Length > MaxHeadBytes) return false;
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Answers <c>CONNECT host:port HTTP/1.1</c>: 200 for a vault host, 403 for any other.</summary>
    private static async Task<bool> AnswerAsync(ConnectionContext connection, string head, CancellationToken ct)
    {
        var target = head.Split('\n')[0].Split(' ') is [_, var authority, ..] ? authority : "";
        var host = target.LastIndexOf(':') is > 0 and var colon ? target[..colon] : target;
        var open = KeyVaultSecrets.VaultNameOfHost(host) is not null;
        var answer = open
            ? "HTTP/1.1 200 Connection established\r\n\r\n"
            : $"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: {Refusal.Length}\r\n\r\n{Refusal}";
        await connection.Transport.Output.WriteAsync(Encoding.ASCII.GetBytes(answer), ct);
        return open;
    }
}
