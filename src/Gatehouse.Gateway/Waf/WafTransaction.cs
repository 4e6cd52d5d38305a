using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Gatehouse.Gateway.Waf;

/// <summary>
/// One request's pass through the engine (<c>msc_new_transaction</c> ... <c>msc_transaction_cleanup</c>). It holds a
/// reference on its <see cref="WafRules"/>, so a plan retired mid-request keeps its rules until the request is done.
/// The <c>msc_process_*</c> calls are synchronous; rule matches arrive in <see cref="Matches"/> during them. Text goes
/// to the engine as the octets the client sent (Kestrel reads request headers as Latin-1 here), so that the rules see
/// UTF-8 and overlong encodings as written.
/// </summary>
internal sealed unsafe class WafTransaction : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly WafRules _rules;
    private GCHandle _matchesHandle;
    private bool _rulesReferenced;

    private WafTransaction(WafRules rules) : base(ownsHandle: true)
    {
        _rules = rules;
    }

    public WafMatches Matches { get; } = new();

    /// <summary>A transaction under <paramref name="id"/>, the access log's transaction id, which rules see as <c>UNIQUE_ID</c>.</summary>
    public static WafTransaction Start(WafRules rules, string id)
    {
        var transaction = new WafTransaction(rules);
        rules.DangerousAddRef(ref transaction._rulesReferenced);
        transaction._matchesHandle = GCHandle.Alloc(transaction.Matches);
        transaction.SetHandle(ModSecurityNative.NewTransaction(ModSecurityEngine.Handle, rules.DangerousGetHandle(), id,
            GCHandle.ToIntPtr(transaction._matchesHandle)));
        if (transaction.IsInvalid)
        {
            transaction.Dispose();
            throw new InvalidOperationException("msc_new_transaction returned no transaction.");
        }
        return transaction;
    }

    public void Connection(string client, int clientPort, string server, int serverPort) =>
        ModSecurityNative.ProcessConnection(handle, client, clientPort, server, serverPort);

    /// <summary>The request line: the target as the client sent it, the method, and the version without <c>HTTP/</c>.</summary>
    public void RequestLine(string target, string method, string version)
    {
        var size = Encoding.Latin1.GetByteCount(target) + Encoding.Latin1.GetByteCount(method) + Encoding.Latin1.GetByteCount(version) + 3;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var uriLength = Terminated(target, buffer, 0);
            var methodLength = Terminated(method, buffer, uriLength);
            Terminated(version, buffer, uriLength + methodLength);
            fixed (byte* start = buffer)
                ModSecurityNative.ProcessUri(handle, start, start + uriLength, start + uriLength + methodLength);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Header(string name, string value)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.Latin1.GetByteCount(name) + Encoding.Latin1.GetByteCount(value));
        try
        {
            var nameLength = Encoding.Latin1.GetBytes(name, buffer);
            var valueLength = Encoding.Latin1.GetBytes(value, buffer.AsSpan(nameLength));
            fixed (byte* start = buffer)
                ModSecurityNative.AddRequestHeader(handle, start, (nuint)nameLength, start + nameLength, (nuint)valueLength);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void ProcessHeaders() => ModSecurityNative.ProcessRequestHeaders(handle);

    public void AppendBody(ReadOnlySpan<byte> chunk)
    {
        fixed (byte* start = chunk) ModSecurityNative.AppendRequestBody(handle, start, (nuint)chunk.Length);
    }

    public void ProcessBody() => ModSecurityNative.ProcessRequestBody(handle);

    /// <summary>The engine's decision so far: the status it would answer with when it disrupts, else null.</summary>
    public int? Disruption()
    {
        var intervention = new ModSecurityNative.Intervention { Status = 200 };
        var disruptive = ModSecurityNative.GetIntervention(handle, ref intervention) != 0;
        if (intervention.Url != 0) NativeMemory.Free((void*)intervention.Url);
        if (intervention.Log != 0) NativeMemory.Free((void*)intervention.Log);
        return disruptive ? intervention.Status : null;
    }

    public void Log() => ModSecurityNative.ProcessLogging(handle);

    protected override bool ReleaseHandle()
    {
        ModSecurityNative.TransactionCleanup(handle);
        Release();
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        // A transaction the engine never made still took its references.
        if (IsInvalid) Release();
    }

    private void Release()
    {
        if (_matchesHandle.IsAllocated) _matchesHandle.Free();
        if (_rulesReferenced)
        {
            _rulesReferenced = false;
            _rules.DangerousRelease();
        }
    }

    private static int Terminated(string text, byte[] buffer, int offset)
    {
        var length = Encoding.Latin1.GetBytes(text, buffer.AsSpan(offset));
        buffer[offset + length] = 0;
        return length + 1;
    }
}
