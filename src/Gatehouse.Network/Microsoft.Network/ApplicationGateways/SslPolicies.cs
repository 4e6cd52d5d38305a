using Gatehouse.Errors;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>What a TLS policy allows: protocol versions (<c>TLSv1_2</c>, <c>TLSv1_3</c>) and IANA cipher-suite names in server preference order.</summary>
public sealed record ResolvedSslPolicy(string Name, IReadOnlyList<string> Protocols, IReadOnlyList<string> CipherSuites);

/// <summary>
/// Azure's predefined TLS policies (appgw-behaviour.md §4.3) and the rules for Custom and CustomV2 (§4.4).
/// </summary>
public static class SslPolicies
{
    /// <summary>The policy a gateway created at API 2023-02-01 or later gets when it names none.</summary>
    public const string DefaultPolicyName = "AppGwSslPolicy20220101";

    private static readonly string[] Tls13Suites = ["TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"];

    private static readonly Dictionary<string, ResolvedSslPolicy> Predefined = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AppGwSslPolicy20150501"] = new("AppGwSslPolicy20150501", ["TLSv1_0", "TLSv1_1", "TLSv1_2"],
        [
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",
            "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
        ]),
        ["AppGwSslPolicy20170401"] = new("AppGwSslPolicy20170401", ["TLSv1_1", "TLSv1_2"], Policy2017Suites),
        ["AppGwSslPolicy20170401S"] = new("AppGwSslPolicy20170401S", ["TLSv1_2"], Policy2017Suites),
        ["AppGwSslPolicy20220101"] = new("AppGwSslPolicy20220101", ["TLSv1_2", "TLSv1_3"],
        [
            .. Tls13Suites,
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        ]),
        ["AppGwSslPolicy20220101S"] = new("AppGwSslPolicy20220101S", ["TLSv1_2", "TLSv1_3"],
        [
            .. Tls13Suites,
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        ]),
    };

    // In the order of the REST specification's AvailableSslOptionsPredefinedPolicies example.
    private static string[] Policy2017Suites =>
    [
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256",
        "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
    ];

    private static readonly string[] ProtocolOrder = ["TLSv1_0", "TLSv1_1", "TLSv1_2", "TLSv1_3"];

    public static IReadOnlyCollection<string> PredefinedNames => Predefined.Keys;

    /// <summary>The predefined policies, oldest first.</summary>
    public static IEnumerable<ResolvedSslPolicy> PredefinedPolicies => Predefined.Values;

    /// <summary>The protocol versions a policy can name, oldest first.</summary>
    public static IReadOnlyList<string> Protocols => ProtocolOrder;

    /// <summary>Every cipher suite a Custom or CustomV2 policy can list (the TLS 1.3 ones only with CustomV2).</summary>
    public static IEnumerable<string> CipherSuites => Predefined.Values.SelectMany(p => p.CipherSuites).Distinct();

    /// <summary>
    /// Resolves a policy as written; <c>null</c> (no policy) means the default. Throws <see cref="ArmException"/>
    /// naming <paramref name="owner"/> (the gateway's or profile's id) for a policy Azure would not accept; its target is
    /// <paramref name="path"/>, or the owner.
    /// </summary>
    public static ResolvedSslPolicy Resolve(SslPolicy? policy, string owner, string? path = null)
    {
        var target = path ?? owner;
        if (policy is null || IsEmpty(policy))
            return Predefined[DefaultPolicyName];

        var type = TypeOf(policy);
        if (type.Equals("Predefined", StringComparison.OrdinalIgnoreCase))
        {
            if (policy.MinProtocolVersion is not null || policy.CipherSuites.Count > 0)
                throw new ArmException(ArmErrors.SslPolicyPredefinedWithCustomParameters(target, owner));
            if (policy.PolicyName is null || !Predefined.TryGetValue(policy.PolicyName, out var predefined))
                throw new ArmException(ArmErrors.SslPolicyNameInvalid(target, policy.PolicyName, Predefined.Keys));
            if (predefined.Protocols.Contains("TLSv1_0") || predefined.Protocols.Contains("TLSv1_1"))
                throw new ArmException(ArmErrors.SslPolicyRetiredTls(target, owner, predefined.Name));
            return predefined;
        }

        var custom = type.Equals("Custom", StringComparison.OrdinalIgnoreCase);
        if (!custom && !type.Equals("CustomV2", StringComparison.OrdinalIgnoreCase))
            throw new ArmException(ArmErrors.SslPolicyTypeInvalid(target, type));
        if (policy.PolicyName is not null)
            throw new ArmException(ArmErrors.SslPolicyCustomWithPolicyName(target, owner, type, policy.PolicyName));

        var min = policy.MinProtocolVersion ?? "TLSv1_2";
        var minIndex = Array.FindIndex(ProtocolOrder, p => p.Equals(min, StringComparison.OrdinalIgnoreCase));
        if (minIndex < 0)
            throw new ArmException(ArmErrors.SslPolicyMinProtocolVersionInvalid(target, min, ProtocolOrder));
        if (minIndex < Array.IndexOf(ProtocolOrder, "TLSv1_2"))
            throw new ArmException(ArmErrors.SslPolicyRetiredTls(target, owner, min));
        var protocols = ProtocolOrder[minIndex..].Where(p => !custom || p != "TLSv1_3").ToArray();
        if (protocols.Length == 0)
            throw new ArmException(ArmErrors.SslPolicyTls13RequiresCustomV2(target));
        if (policy.CipherSuites.Count == 0 && !protocols.SequenceEqual(["TLSv1_3"]))
            throw new ArmException(ArmErrors.SslPolicyCipherSuitesRequired(target, type));

        // A misspelt suite must not quietly shrink what the listener offers; TLS 1.3 suites need CustomV2 (§4.4).
        var selectable = custom ? CipherSuites.Except(Tls13Suites) : CipherSuites;
        if (policy.CipherSuites.FirstOrDefault(s => !selectable.Contains(s, StringComparer.OrdinalIgnoreCase)) is { } unknown)
            throw new ArmException(ArmErrors.SslPolicyCipherSuiteNotSupported(target, owner, type, unknown, selectable));

        // The TLS 1.3 suites are implied by CustomV2 and never listed in a GET (§4.4).
        var suites = policy.CipherSuites.Where(s => !Tls13Suites.Contains(s, StringComparer.OrdinalIgnoreCase));
        return new ResolvedSslPolicy(type, protocols,
            [.. protocols.Contains("TLSv1_3") ? Tls13Suites : [], .. suites.Select(s => s.ToUpperInvariant())]);
    }

    /// <summary>
    /// The gateway's policy and its SSL profiles' policies together: each must resolve, and the 2022 generation
    /// (2022 predefined policies, CustomV2) cannot coexist with older policies on one gateway (appgw-behaviour §4.4).
    /// Only policies written out count; a gateway without one gets the default.
    /// </summary>
    internal static void ValidateTogether(IReadOnlyList<(SslPolicy? Policy, string Owner, string Path)> policies, ArmErrorList errors)
    {
        foreach (var (policy, owner, path) in policies) errors.Check(() => Resolve(policy, owner, path));
        var written = policies.Where(p => p.Policy is not null && !IsEmpty(p.Policy)).ToList();
        var newer = written.FirstOrDefault(p => Is2022Generation(p.Policy!));
        var older = written.FirstOrDefault(p => !Is2022Generation(p.Policy!));
        if (newer.Policy is not null && older.Policy is not null)
            errors.Add(ArmErrors.SslPoliciesOfMixedGenerations(older.Path, older.Owner, newer.Owner));
    }

    private static bool IsEmpty(SslPolicy policy) =>
        policy.PolicyType is null && policy.PolicyName is null && policy.MinProtocolVersion is null && policy.CipherSuites.Count == 0;

    private static string TypeOf(SslPolicy policy) => policy.PolicyType ?? (policy.PolicyName is not null ? "Predefined" : "Custom");

    private static bool Is2022Generation(SslPolicy policy) =>
        TypeOf(policy).Equals("CustomV2", StringComparison.OrdinalIgnoreCase)
        || (policy.PolicyName?.StartsWith("AppGwSslPolicy2022", StringComparison.OrdinalIgnoreCase) ?? false);
}
