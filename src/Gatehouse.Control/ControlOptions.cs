using System.Net;

namespace Gatehouse.Control;

/// <summary>
/// Where the control plane keeps its state and where the management API listens (port 0: the OS picks). With a
/// <paramref name="Monitor"/>, the API also serves <c>/metrics</c>, the ARM metrics route and the portal's live views.
/// </summary>
public sealed record ControlOptions(string DataDirectory, int ManagementPort, IPAddress ManagementAddress, IGatewayMonitor? Monitor = null);
