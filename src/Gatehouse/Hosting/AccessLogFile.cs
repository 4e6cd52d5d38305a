namespace Gatehouse.Hosting;

/// <summary>Where <c>serve</c> writes the access log, and how much of it it keeps.</summary>
public static class AccessLogFile
{
    /// <summary>Rotated past this size, as Azure's storage blobs are per hour; 10 MB keeps a file quick to read.</summary>
    public const long MaxBytes = 10 * 1024 * 1024;

    /// <summary>Rotated files kept besides the current one.</summary>
    public const int Keep = 5;

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "logs", "access.log");

    /// <summary>The firewall log, beside the access log and rotated the same way.</summary>
    public static string FirewallPathIn(string dataDirectory) => Path.Combine(dataDirectory, "logs", "firewall.log");
}
