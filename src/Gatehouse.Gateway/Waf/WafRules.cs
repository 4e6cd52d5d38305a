using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gatehouse.Gateway.Waf;

/// <summary>
/// One parsed ModSecurity rule set (<c>msc_create_rules_set</c> + <c>msc_rules_add</c>): parsed once per plan, shared
/// by every transaction of the listeners that use it, released with the plan.
/// </summary>
internal sealed unsafe class WafRules : SafeHandleZeroOrMinusOneIsInvalid
{
    private WafRules() : base(ownsHandle: true)
    {
    }

    /// <summary>Parses <paramref name="rules"/> (SecLang; Include lines read their files); throws with the engine's message when it cannot.</summary>
    public static WafRules Parse(string rules)
    {
        var set = new WafRules();
        set.SetHandle(ModSecurityNative.CreateRulesSet());
        if (set.IsInvalid) throw new WafRulesException("msc_create_rules_set returned no rule set.");
        if (ModSecurityNative.RulesAdd(set.handle, rules, out var error) < 0)
        {
            var message = Marshal.PtrToStringUTF8(error) ?? "unknown error";
            if (error != 0) NativeMemory.Free((void*)error);
            set.Dispose();
            throw new WafRulesException(message.Trim());
        }
        return set;
    }

    protected override bool ReleaseHandle()
    {
        ModSecurityNative.RulesCleanup(handle);
        return true;
    }
}

/// <summary>The engine refused a rule set; the message is the engine's.</summary>
internal sealed class WafRulesException(string message) : Exception(message);
