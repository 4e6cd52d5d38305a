using System.Net.Security;
using System.Security.Authentication;
using Gatehouse.Gateway.Compilation;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Gatehouse.Gateway.Tls;

/// <summary>Picks the listener for a handshake by SNI and remembers what was negotiated on the connection.</summary>
internal static class TlsHandshake
{
    public static ValueTask<SslServerAuthenticationOptions> Begin(PortPlan? port, TlsHandshakeCallbackContext context)
    {
        if (port is null) throw new AuthenticationException("This port is no longer served.");
        var serverName = context.ClientHelloInfo.ServerName;
        var tls = port.SelectForHandshake(serverName).Tls!;
        var state = new TlsConnectionState(tls.ClientAuth, !string.IsNullOrEmpty(serverName));
        state.AttachTo(context.Connection.Items);
        return ValueTask.FromResult(tls.OptionsFor(state));
    }
}
