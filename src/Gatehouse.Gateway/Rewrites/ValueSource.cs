using System.Text.RegularExpressions;

namespace Gatehouse.Gateway.Rewrites;

/// <summary>One piece of a rewrite value or the subject of a condition, resolved at compile time.</summary>
internal abstract record ValueSource
{
    /// <param name="captures">The matches of the current rule's conditions, by condition index.</param>
    public abstract string Evaluate(RequestScope scope, Match?[] captures);

    /// <summary>
    /// A variable as ARM writes it: <c>var_client_ip</c>, <c>http_req_Authorization</c>, <c>http_resp_Location</c>.
    /// Null when the text has none of these prefixes.
    /// </summary>
    public static ValueSource? ParseVariable(string reference)
    {
        if (reference.StartsWith("var_", StringComparison.Ordinal))
        {
            var name = reference[4..];
            var read = ServerVariables.Find(name)
                ?? throw new InvalidOperationException($"The Network provider accepts only documented server variables, and '{name}' is not one.");
            return new ServerVariableValue(name, read);
        }
        if (reference.StartsWith("http_req_", StringComparison.Ordinal)) return new RequestHeaderValue(reference[9..]);
        if (reference.StartsWith("http_resp_", StringComparison.Ordinal)) return new ResponseHeaderValue(reference[10..]);
        return null;
    }
}

internal sealed record LiteralValue(string Text) : ValueSource
{
    public override string Evaluate(RequestScope scope, Match?[] captures) => Text;
}

internal sealed record ServerVariableValue(string Name, Func<RequestScope, string> Read) : ValueSource
{
    public bool IsClientCertificate => Name.StartsWith("client_certificate", StringComparison.OrdinalIgnoreCase);

    public override string Evaluate(RequestScope scope, Match?[] captures) => Read(scope);
}

/// <summary>A header of the request as the client sent it (rewrites change the backend request, not this).</summary>
internal sealed record RequestHeaderValue(string Name) : ValueSource
{
    public override string Evaluate(RequestScope scope, Match?[] captures) => scope.Context.Request.Headers[Name].ToString();
}

/// <summary>A header of the backend's response as it will be sent; empty before the response exists.</summary>
internal sealed record ResponseHeaderValue(string Name) : ValueSource
{
    public override string Evaluate(RequestScope scope, Match?[] captures) => scope.Context.Response.Headers[Name].ToString();
}

/// <summary><c>{var_uri_path_1}</c>: a group captured by the rule's condition on that variable.</summary>
internal sealed record CaptureValue(int Condition, int Group) : ValueSource
{
    public override string Evaluate(RequestScope scope, Match?[] captures) =>
        captures.Length > Condition && captures[Condition] is { } match ? match.Groups[Group].Value : "";
}
