using System.Runtime.InteropServices;

namespace Gatehouse.Gateway.Waf;

/// <summary>
/// The process's one ModSecurity instance (<c>msc_init</c>): rule sets are parsed against it once per plan and every
/// transaction runs on it. Rule matches come back through its log callback, to the transaction's <see cref="WafMatches"/>.
/// It lives as long as the process: the library keeps no per-instance state worth releasing.
/// </summary>
internal static unsafe class ModSecurityEngine
{
    private static readonly Lazy<nint> Instance = new(Create);

    public static nint Handle => Instance.Value;

    /// <summary>The library's own name and version, such as <c>ModSecurity v3.0.9 (Linux)</c>.</summary>
    public static string Version => Marshal.PtrToStringUTF8(ModSecurityNative.WhoAmI(Handle)) ?? "";

    private static nint Create()
    {
        var handle = ModSecurityNative.Init();
        if (handle == 0) throw new InvalidOperationException("msc_init returned no ModSecurity instance.");
        ModSecurityNative.SetConnectorInfo(handle, "Gatehouse");
        ModSecurityNative.SetLogCallback(handle, &OnRuleMessage);
        return handle;
    }

    /// <summary>Called synchronously inside the transaction's <c>msc_process_*</c> calls, once per logged rule match.</summary>
    [UnmanagedCallersOnly]
    private static void OnRuleMessage(nint data, nint message)
    {
        if (data == 0 || message == 0) return;
        if (GCHandle.FromIntPtr(data).Target is WafMatches matches && Marshal.PtrToStringUTF8(message) is { } text)
            matches.Add(text);
    }
}
