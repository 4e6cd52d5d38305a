using System.Net;

namespace Gatehouse.Control;

/// <summary>Where the control plane keeps its state and where the management API listens (port 0: the OS picks).</summary>
public sealed record ControlOptions(string DataDirectory, int ManagementPort, IPAddress ManagementAddress);
