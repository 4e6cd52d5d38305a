namespace Gatehouse.Gateway.Rewrites;

/// <summary>
/// What a rule set's request rules decided for one request: the headers to set (an empty value deletes) and,
/// from an urlConfiguration, a new path and query string (null keeps the request's) and whether to reroute.
/// </summary>
internal sealed record RequestRewrite(IReadOnlyList<KeyValuePair<string, string>> Headers, string? Path, string? Query, bool Reroute)
{
    public static RequestRewrite None { get; } = new([], null, null, false);

    /// <summary>This verdict followed by <paramref name="next"/>'s, as when a rerouted request meets a second rule set.</summary>
    public RequestRewrite Then(RequestRewrite next) =>
        ReferenceEquals(next, None) ? this : new([.. Headers, .. next.Headers], next.Path ?? Path, next.Query ?? Query, next.Reroute);

    /// <summary>Runs after the gateway's own headers are set, so a rule can replace them (e.g. X-Forwarded-For).</summary>
    public void ApplyTo(HttpRequestMessage request)
    {
        foreach (var (name, value) in Headers) SetHeader(request, name, value);
    }

    /// <summary>An empty value deletes the header: a client cannot smuggle its own copy past an empty variable.</summary>
    private static void SetHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Content?.Headers.Remove(name);
        if (value.Length == 0) return;
        if (!request.Headers.TryAddWithoutValidation(name, value))
            request.Content?.Headers.TryAddWithoutValidation(name, value);
    }
}
