using System.Net;

namespace Gatehouse.Control;

/// <summary>
/// Where the control plane keeps its state and where the management API listens (port 0: the OS picks). With a
/// <paramref name="Monitor"/>, the API also serves the portal's live views and, with <paramref name="ExportMetrics"/>,
/// <c>/metrics</c> and the ARM metrics route (without it nothing listens to the gateway's meter, which then costs nothing).
/// <paramref name="Store"/> is null for SQLite in the data directory, or <c>postgres://USER@HOST:PORT/DB</c> for a store that
/// several instances share, with the data key from <paramref name="DataKeyFile"/> (or <see cref="Security.DataKey.EnvironmentVariable"/>).
/// </summary>
public sealed record ControlOptions(string DataDirectory, int ManagementPort, IPAddress ManagementAddress, IGatewayMonitor? Monitor = null,
    bool ExportMetrics = true, string? Store = null, string? DataKeyFile = null)
{
    /// <summary>How often the gateways' Key Vault certificates are read again (a versionless secret at its latest version); Azure polls every 4 hours.</summary>
    public TimeSpan KeyVaultRefresh { get; init; } = DefaultKeyVaultRefresh;

    public static readonly TimeSpan DefaultKeyVaultRefresh = TimeSpan.FromHours(4);

    /// <summary>This instance's name among those sharing the store; new at each start unless given.</summary>
    public string InstanceId { get; init; } = NewInstanceId();

    /// <summary>The host name and a random suffix: readable, and new at each start, so that a restart is a new instance.</summary>
    public static string NewInstanceId() => $"{Environment.MachineName}-{System.Security.Cryptography.RandomNumberGenerator.GetHexString(6, lowercase: true)}";
}
