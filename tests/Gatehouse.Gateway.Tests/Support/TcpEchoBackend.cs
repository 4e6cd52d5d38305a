using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Gateway.Tests.Support;

/// <summary>
/// A TCP service on 127.0.0.1 that sends back every byte it receives, prefixed once per connection with its
/// <see cref="Greeting"/>; over TLS when given a certificate. It counts the connections it accepted.
/// </summary>
public sealed class TcpEchoBackend : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _accepted;

    private TcpEchoBackend(string name, X509Certificate2? certificate)
    {
        Greeting = $"hello from {name}\n";
        _certificate = certificate;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Greeting { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Accepted => Volatile.Read(ref _accepted);

    public static TcpEchoBackend Start(string name, X509Certificate2? certificate = null) => new(name, certificate);

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stopping.Token);
                Interlocked.Increment(ref _accepted);
                connections.Add(EchoAsync(socket));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        await Task.WhenAll(connections);
    }

    private async Task EchoAsync(Socket socket)
    {
        try
        {
            await using Stream stream = _certificate is null ? new NetworkStream(socket, ownsSocket: true) : new SslStream(new NetworkStream(socket, ownsSocket: true));
            if (stream is SslStream secure) await secure.AuthenticateAsServerAsync(_certificate!);
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(Greeting), _stopping.Token);
            var buffer = new byte[4096];
            int read;
            while ((read = await stream.ReadAsync(buffer, _stopping.Token)) > 0)
                await stream.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            // The client went away, or the backend stops.
        }
        finally
        {
            socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
    }
}
