using System.Buffers;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Arm.Expressions;
using Gatehouse.Errors;
using Gatehouse.Gateway.Tls;
using Gatehouse.Network.ApplicationGateways;
using SharpFuzz;

namespace Gatehouse.Fuzz;

/// <summary>
/// One fuzz target per parser Gatehouse owns. Each answers bad input only with the error its callers expect (an
/// <see cref="ArmException"/>, a rejected certificate, an unreadable OCSP response); any other exception, a stack
/// overflow or running out of memory is a crash for AFL.
/// Usage: <c>Gatehouse.Fuzz TARGET</c> under afl-fuzz; outside it, the input on stdin is run once (to replay a crash).
/// Nothing instrumented may run before <see cref="Fuzzer.OutOfProcess.Run(Action{Stream})"/>: its coverage map does
/// not exist yet, so every value from Gatehouse's assemblies is made inside the targets.
/// </summary>
public static class Program
{
    private static DeploymentScope Scope => new("tenant", "00000000-0000-0000-0000-000000000001", "rg", "westeurope", "fuzz");

    /// <summary>The parameters given with <c>--parameters</c> are read by the declared types of this template.</summary>
    private static readonly Lazy<JsonObject> ParametersTemplate = new(() => (JsonObject)Jsonc.Parse("""
        { "parameters": { "s": { "type": "string" }, "i": { "type": "int" }, "b": { "type": "bool" }, "o": { "type": "object" }, "a": { "type": "array" } } }
        """));

    /// <summary>A CA and a client certificate whose AIA names an OCSP responder: the query the gateway would send, answered by the input.</summary>
    private static readonly Lazy<(OcspQuery Query, DateTimeOffset Now)> Ocsp = new(() =>
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Fuzz CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=client", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(["http://127.0.0.1:9/ocsp"], null));
        using var leaf = leafRequest.Create(ca, now.AddDays(-1), now.AddDays(30), [1, 2, 3, 4]);
        var trust = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        trust.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(ca.RawData));
        using var chain = new X509Chain { ChainPolicy = trust };
        chain.Build(leaf);
        return (OcspQuery.For(leaf, chain, trust) ?? throw new InvalidOperationException("The fuzz client certificate has no OCSP query."), now);
    });

    private static readonly Dictionary<string, Action<byte[]>> Targets = new()
    {
        ["jsonc"] = input => Refused<ArmException>(() => Jsonc.Parse(Text(input))),
        ["expression"] = Expression,
        ["template"] = input => Refused<ArmException>(() =>
        {
            if (Jsonc.Parse(Text(input)) is JsonObject template)
                TemplateExpander.Expand(template, null, Scope, new ExpansionOptions { UtcNow = DateTimeOffset.UnixEpoch });
        }),
        ["parameters"] = input => Refused<ArmException>(() => ParameterArguments.Merge(ParametersTemplate.Value, [Text(input)])),
        ["certificate"] = Certificate,
        ["clienthello"] = input => ClientHelloCiphers.TryParse(new ReadOnlySequence<byte>(input), out _),
        // OcspClient takes both for an answer that is not there: a response it cannot read, or a certificate in it that it cannot.
        ["ocsp"] = input => Refused<CryptographicException>(() => Refused<AsnContentException>(() => OcspResponse.Read(input, Ocsp.Value.Query, Ocsp.Value.Now))),
    };

    public static int Main(string[] args)
    {
        if (args.Length != 1 || !Targets.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: Gatehouse.Fuzz {string.Join('|', Targets.Keys)} < INPUT");
            return 2;
        }
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target(buffer.ToArray());
        });
        return 0;
    }

    private static string Text(byte[] input) => Encoding.UTF8.GetString(input);

    private static void Refused<TExpected>(Action parse) where TExpected : Exception
    {
        try
        {
            parse();
        }
        catch (TExpected)
        {
        }
    }

    /// <summary>The tokenizer and parser alone, then the evaluator and the function library, as an output of a template that gives it values to work on.</summary>
    private static void Expression(byte[] input)
    {
        var text = Text(input);
        Refused<ExpressionException>(() => Parser.Parse(text));
        var template = new JsonObject
        {
            ["parameters"] = new JsonObject { ["p"] = new JsonObject { ["type"] = "object", ["defaultValue"] = new JsonObject { ["a"] = new JsonArray(1, "b", true) } } },
            ["variables"] = new JsonObject { ["v"] = "[parameters('p')]", ["s"] = "text" },
            ["resources"] = new JsonArray(),
            ["outputs"] = new JsonObject { ["o"] = new JsonObject { ["type"] = "object", ["value"] = $"[{text}]" } },
        };
        Refused<ArmException>(() => TemplateExpander.Expand(template, null, Scope, new ExpansionOptions { UtcNow = DateTimeOffset.UnixEpoch }));
    }

    /// <summary>
    /// What a template's sslCertificates and trustedClientCertificates carry (PFX, PEM or base64 DER), loaded as the
    /// gateway loads them, and the server variables the gateway makes of a client certificate.
    /// </summary>
    private static void Certificate(byte[] input)
    {
        Refused<CryptographicException>(() =>
        {
            using var certificate = X509CertificateLoader.LoadCertificate(input);
            _ = CertificateFormats.EscapedPem(certificate.RawData);
            _ = CertificateFormats.Serial(certificate.SerialNumberBytes.Span);
            _ = CertificateFormats.Rfc2253(certificate.SubjectName);
            _ = CertificateFormats.Rfc2253(certificate.IssuerName);
        });
        Refused<CryptographicException>(() => X509CertificateLoader.LoadPkcs12Collection(input, password: "", loaderLimits: Pkcs12LoaderLimits.Defaults));
        var text = Text(input);
        PublicCertificates.TryLoad(text);
        Refused<ArmException>(() => TrustedClientCertificateData.LoadAuthorities("fuzz", text));
    }
}
