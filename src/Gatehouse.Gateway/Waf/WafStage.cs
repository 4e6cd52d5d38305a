using System.Buffers;
using Gatehouse.Gateway.Hosting;
using Gatehouse.Gateway.Observability;
using Gatehouse.Gateway.Rewrites;
using Gatehouse.Gateway.Routing;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Gatehouse.Gateway.Waf;

/// <summary>
/// The firewall on the request path, between routing and forwarding: body limits, custom rules in priority order (an
/// Allow skips the managed rules), then the managed rules in the engine. In Prevention a block is answered here and
/// nothing reaches the backend; in Detection the request goes on. Every match goes to the firewall log.
/// </summary>
internal sealed class WafStage(GatewayMetrics metrics, JsonLineLog<FirewallLogEntry>? log, string instanceId)
{
    private const string AnomalyRuleId = "949110";
    private readonly JsonLineLog<FirewallLogEntry>? _log = log;
    private readonly string _instanceId = instanceId;
    private static readonly GatewayPage TooLarge = GatewayPage.ForStatus(413, "Request Entity Too Large");

    /// <summary>True when the request was answered here (blocked); false when it goes on to the backend.</summary>
    public async Task<bool> InspectAsync(HttpContext context, WafAssociation waf, string gatewayId, string transactionId)
    {
        var plan = waf.Plan;
        var settings = plan.Policy.Settings;
        if (!settings.Enabled) return false;
        var events = new Events(this, waf, gatewayId, transactionId, WafRequest.ClientIpOf(context), ServerVariables.RequestUri(context), context.Request.Host.Host);

        var (body, tooLarge) = await ReadBodyAsync(context, settings);
        if (tooLarge)
        {
            events.Add("0", "Request body or file upload larger than the policy allows", "", plan.Prevention ? "Blocked" : "Detected", plan.RuleSetType);
            metrics.RecordWaf(gatewayId, plan.Prevention ? "Blocked" : "Detected");
            if (plan.Prevention)
            {
                await TooLarge.WriteAsync(context);
                return true;
            }
        }

        var request = new WafRequest(context, body);
        foreach (var rule in plan.CustomRules.Evaluate(request, Environment.TickCount64))
        {
            var action = rule.Action switch
            {
                WafCustomAction.Allow => "Allowed",
                WafCustomAction.Log => "Log",
                _ => plan.Prevention ? "Blocked" : "Detected",
            };
            events.Add(rule.Name, $"Custom rule {rule.Name} ({rule.RuleType}, priority {rule.Priority}) matched", "", action, "Custom");
            metrics.RecordWafCustomRule(gatewayId, rule.Name, action);
            if (rule.Action == WafCustomAction.Allow)
            {
                metrics.RecordWaf(gatewayId, action);
                return false;
            }
            if (rule.Action == WafCustomAction.Block && plan.Prevention)
            {
                metrics.RecordWaf(gatewayId, action);
                await BlockAsync(context, plan, StatusCodes.Status403Forbidden);
                return true;
            }
        }

        var blocked = RunManagedRules(request, plan, events, gatewayId);
        metrics.RecordWaf(gatewayId, blocked is not null ? "Blocked" : events.Count > 0 ? "Detected" : "Allowed");
        if (blocked is not { } status) return false;
        await BlockAsync(context, plan, status);
        return true;
    }

    /// <summary>One engine transaction: connection, request line, headers, body; the engine's status when it disrupts in Prevention.</summary>
    private int? RunManagedRules(WafRequest request, WafPlan plan, Events events, string gatewayId)
    {
        var context = request.Context;
        using var transaction = WafTransaction.Start(plan.Rules, events.TransactionId);
        transaction.Connection(request.ClientIp, context.Connection.RemotePort,
            context.Connection.LocalIpAddress?.ToString() ?? "", context.Connection.LocalPort);
        var http = context.Request;
        transaction.RequestLine(request.Uri, http.Method, ServerVariables.HttpVersion(http.Protocol)["HTTP/".Length..]);
        foreach (var (name, values) in http.Headers)
            foreach (var value in values)
                transaction.Header(name, value ?? "");
        return Decide(transaction, request.Body.Span, plan, events, gatewayId);
    }

    /// <summary>
    /// The managed rules' decision on a request head Kestrel refuses before any application code runs (see
    /// <see cref="RequestHead"/>): the engine's status when it disrupts in Prevention, else null (Kestrel answers 400).
    /// Custom rules do not run: whatever they decide, the request is never served.
    /// </summary>
    public int? InspectRefusedHead(RequestHead head, WafAssociation waf, string gatewayId, string clientIp, int clientPort, string serverIp, int serverPort)
    {
        var plan = waf.Plan;
        if (!plan.Policy.Settings.Enabled) return null;
        var events = new Events(this, waf, gatewayId, Exchange.NewTransactionId(), clientIp, head.Target, head.Host ?? "");
        using var transaction = WafTransaction.Start(plan.Rules, events.TransactionId);
        transaction.Connection(clientIp, clientPort, serverIp, serverPort);
        var version = head.Version.StartsWith("HTTP/", StringComparison.Ordinal) ? head.Version["HTTP/".Length..] : head.Version;
        transaction.RequestLine(head.Target, head.Method, version);
        foreach (var (name, value) in head.Headers) transaction.Header(name, value);
        var blocked = Decide(transaction, [], plan, events, gatewayId);
        metrics.RecordWaf(gatewayId, blocked is not null ? "Blocked" : events.Count > 0 ? "Detected" : "Allowed");
        return blocked;
    }

    /// <summary>Headers, then the body unless the headers decided; every logged match to the firewall log.</summary>
    private int? Decide(WafTransaction transaction, ReadOnlySpan<byte> body, WafPlan plan, Events events, string gatewayId)
    {
        transaction.ProcessHeaders();
        var disruption = transaction.Disruption();
        if (disruption is null)
        {
            if (!body.IsEmpty) transaction.AppendBody(body);
            transaction.ProcessBody();
            disruption = transaction.Disruption();
        }
        transaction.Log();

        foreach (var message in transaction.Matches.Messages)
        {
            var ruleId = Field(message, "id");
            var denied = message.Contains("Access denied", StringComparison.Ordinal);
            var action = denied ? "Blocked" : ruleId == AnomalyRuleId ? "Detected" : "Matched";
            events.Add(ruleId, Field(message, "msg"), Field(message, "data"), action, plan.RuleSetType,
                Summary(message), Field(message, "file"), Field(message, "line"));
            metrics.RecordWafSecRule(gatewayId, ruleId, action);
        }
        return plan.Prevention ? disruption : null;
    }

    /// <summary>
    /// The policy's status and body when it sets them; else the page for <paramref name="status"/>: 403 for the anomaly
    /// score and custom rules, or the status a rule itself names (400 for a body the engine cannot parse).
    /// </summary>
    private static Task BlockAsync(HttpContext context, WafPlan plan, int status)
    {
        if (plan.PageFor(status) is { } page) return page.WriteAsync(context);
        var response = context.Response;
        response.StatusCode = plan.CustomBlockStatus;
        response.ContentType = "text/html";
        response.ContentLength = plan.CustomBlockBody.Length;
        return response.Body.WriteAsync(plan.CustomBlockBody, context.RequestAborted).AsTask();
    }

    /// <summary><see cref="BlockAsync"/>'s answer as a whole HTTP/1.1 response that closes the connection, for a request Kestrel never parsed.</summary>
    public static byte[] BlockResponse(WafPlan plan, int status) =>
        plan.PageFor(status)?.ClosingResponse() ?? GatewayPage.ClosingResponse(plan.CustomBlockStatus, plan.CustomBlockBody);

    /// <summary>
    /// Reads the whole body (kept for the backend: the request is buffered) and returns up to the inspect limit of it,
    /// and whether it is over the policy's size limit: the file upload limit for multipart bodies, else the body limit.
    /// </summary>
    private static async Task<(ReadOnlyMemory<byte> Body, bool TooLarge)> ReadBodyAsync(HttpContext context, WafPolicySettings settings)
    {
        var http = context.Request;
        if (http.ContentLength is 0 || http.ContentLength is null && !http.Headers.ContainsKey("Transfer-Encoding")) return (ReadOnlyMemory<byte>.Empty, false);
        var multipart = http.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true;
        var (limit, enforced) = multipart
            ? ((long)settings.FileUploadLimitInMb * 1024 * 1024, settings.FileUploadEnforcement)
            : ((long)settings.MaxRequestBodySizeInKb * 1024, settings.RequestBodyEnforcement);
        if (enforced && http.ContentLength > limit) return (ReadOnlyMemory<byte>.Empty, true);

        http.EnableBuffering();
        var inspectLimit = settings.RequestBodyCheck ? settings.RequestBodyInspectLimitInKb * 1024 : 0;
        var kept = new ArrayBufferWriter<byte>(Math.Min(inspectLimit, (int)Math.Min(http.ContentLength ?? 4096, int.MaxValue)) + 1);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        long total = 0;
        try
        {
            int read;
            while ((read = await http.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                var keep = Math.Min(read, inspectLimit - kept.WrittenCount);
                if (keep > 0) kept.Write(chunk.AsSpan(0, keep));
                total += read;
                if (enforced && total > limit) return (kept.WrittenMemory, true);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        http.Body.Position = 0;
        return (kept.WrittenMemory, false);
    }

    /// <summary>
    /// One bracketed field of an engine message (<c>[id "942100"]</c>), its escaped quotes unescaped; empty when absent.
    /// A scan for the few fields the log keeps: one runs per rule match, on every request that matches a rule.
    /// </summary>
    private static string Field(string message, string name)
    {
        var start = message.IndexOf($" [{name} \"", StringComparison.Ordinal);
        if (start < 0) return "";
        start += name.Length + 4;
        var end = start;
        while ((end = message.IndexOf('"', end)) > 0 && message[end - 1] == '\\') end++;
        return end < 0 ? "" : message[start..end].Replace("\\\"", "\"", StringComparison.Ordinal);
    }

    /// <summary>The message before its bracketed fields: what matched where.</summary>
    private static string Summary(string message)
    {
        var start = message.IndexOf("ModSecurity: ", StringComparison.Ordinal);
        var text = start < 0 ? message : message[(start + "ModSecurity: ".Length)..];
        var fields = text.IndexOf(" [file ", StringComparison.Ordinal);
        return (fields < 0 ? text : text[..fields]).Trim();
    }


    /// <summary>The firewall log lines of one request.</summary>
    private sealed class Events(WafStage stage, WafAssociation waf, string gatewayId, string transactionId, string clientIp, string requestUri, string hostname)
    {
        /// <summary>The access log's, which the engine takes for its own (its <c>unique_id</c>).</summary>
        public string TransactionId => transactionId;

        public int Count { get; private set; }

        public void Add(string ruleId, string message, string data, string action, string ruleSetType,
            string? detail = null, string file = "", string line = "")
        {
            Count++;
            if (stage._log is null) return;
            var plan = waf.Plan;
            stage._log.Add(new FirewallLogEntry(DateTimeOffset.UtcNow, gatewayId.ToUpperInvariant(), new FirewallLogProperties
            {
                InstanceId = stage._instanceId,
                ClientIp = clientIp,
                RequestUri = requestUri,
                RuleSetType = ruleSetType,
                RuleSetVersion = ruleSetType == "Custom" ? "" : plan.Policy.ManagedRuleSet.RuleSetVersion,
                RuleId = ruleId,
                Message = message,
                Action = action,
                Details = new FirewallLogDetails(detail ?? message, data, file, line),
                Hostname = hostname,
                TransactionId = transactionId,
                PolicyId = plan.Policy.Id,
                PolicyScope = waf.Scope,
                PolicyScopeName = waf.ScopeName,
            }));
        }
    }
}
