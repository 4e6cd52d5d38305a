using System.Net;

namespace Gatehouse.Control;

/// <summary>
/// Where the control plane keeps its state and where the management API listens (port 0: the OS picks). With a
/// <paramref name="Monitor"/>, the API also serves the portal's live views and, with <paramref name="ExportMetrics"/>,
/// <c>/metrics</c> and the ARM metrics route (without it nothing listens to the gateway's meter, which then costs nothing).
/// </summary>
public sealed record ControlOptions(string DataDirectory, int ManagementPort, IPAddress ManagementAddress, IGatewayMonitor? Monitor = null,
    bool ExportMetrics = true);
