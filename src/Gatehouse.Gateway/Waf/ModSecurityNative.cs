using System.Runtime.InteropServices;

namespace Gatehouse.Gateway.Waf;

/// <summary>ModSecurity v3's C API (modsecurity/modsecurity.h, rules_set.h, transaction.h), as Debian's libmodsecurity3 exports it.</summary>
internal static unsafe partial class ModSecurityNative
{
    private const string Library = "libmodsecurity.so.3";

    /// <summary><c>ModSecurityIntervention</c>: <c>url</c> and <c>log</c> are the caller's to free.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Intervention
    {
        public int Status;
        public int Pause;
        public nint Url;
        public nint Log;
        public int Disruptive;
    }

    [LibraryImport(Library, EntryPoint = "msc_init")]
    public static partial nint Init();

    [LibraryImport(Library, EntryPoint = "msc_who_am_i")]
    public static partial nint WhoAmI(nint modsec);

    [LibraryImport(Library, EntryPoint = "msc_set_connector_info", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void SetConnectorInfo(nint modsec, string connector);

    [LibraryImport(Library, EntryPoint = "msc_set_log_cb")]
    public static partial void SetLogCallback(nint modsec, delegate* unmanaged<nint, nint, void> callback);

    [LibraryImport(Library, EntryPoint = "msc_create_rules_set")]
    public static partial nint CreateRulesSet();

    [LibraryImport(Library, EntryPoint = "msc_rules_add", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RulesAdd(nint rules, string plainRules, out nint error);

    [LibraryImport(Library, EntryPoint = "msc_rules_cleanup")]
    public static partial int RulesCleanup(nint rules);

    /// <summary><c>msc_new_transaction_with_id</c>: the engine copies <paramref name="id"/>, and skips making one of its own (a random device per transaction).</summary>
    [LibraryImport(Library, EntryPoint = "msc_new_transaction_with_id", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint NewTransaction(nint modsec, nint rules, string id, nint logCallbackData);

    [LibraryImport(Library, EntryPoint = "msc_process_connection", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ProcessConnection(nint transaction, string client, int clientPort, string server, int serverPort);

    [LibraryImport(Library, EntryPoint = "msc_process_uri")]
    public static partial int ProcessUri(nint transaction, byte* uri, byte* protocol, byte* httpVersion);

    [LibraryImport(Library, EntryPoint = "msc_add_n_request_header")]
    public static partial int AddRequestHeader(nint transaction, byte* key, nuint keyLength, byte* value, nuint valueLength);

    [LibraryImport(Library, EntryPoint = "msc_process_request_headers")]
    public static partial int ProcessRequestHeaders(nint transaction);

    [LibraryImport(Library, EntryPoint = "msc_append_request_body")]
    public static partial int AppendRequestBody(nint transaction, byte* body, nuint size);

    [LibraryImport(Library, EntryPoint = "msc_process_request_body")]
    public static partial int ProcessRequestBody(nint transaction);

    [LibraryImport(Library, EntryPoint = "msc_intervention")]
    public static partial int GetIntervention(nint transaction, ref Intervention intervention);

    [LibraryImport(Library, EntryPoint = "msc_process_logging")]
    public static partial int ProcessLogging(nint transaction);

    [LibraryImport(Library, EntryPoint = "msc_transaction_cleanup")]
    public static partial void TransactionCleanup(nint transaction);
}
