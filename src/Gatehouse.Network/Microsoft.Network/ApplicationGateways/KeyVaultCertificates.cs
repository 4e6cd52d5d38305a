using Gatehouse.Errors;
using Gatehouse.Network.Vaults;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// Listener certificates and trusted roots kept in Key Vault (<c>keyVaultSecretId</c>, versioned or versionless). A
/// deployment checks the reference (<see cref="Validate"/>); the certificate itself is read when the gateway is about to
/// be served (<see cref="Read"/>), through the gateway's user-assigned identity, and re-read periodically, as Azure does.
/// </summary>
public static class KeyVaultCertificates
{
    /// <summary>The secret id is one, and the gateway has the user-assigned identity that reads it.</summary>
    internal static void Validate(ApplicationGateway gateway, string owner, string secretId, string path, ArmErrorList errors)
    {
        if (SecretReference.Parse(secretId) is null)
            errors.Add(ArmErrors.KeyVaultSecretIdInvalid(path, owner, secretId));
        else if (gateway.UserAssignedIdentityId is null)
            errors.Add(ArmErrors.KeyVaultSecretWithoutIdentity(path, owner));
    }

    /// <summary>
    /// The gateway with each Key Vault certificate's data as its identity reads it from <paramref name="secrets"/>, or the
    /// error that leaves it unread (<see cref="SslCertificate.Unreadable"/>, <see cref="TrustedRootCertificate.Unreadable"/>).
    /// A listener certificate's secret holds the base64 PFX (without a password), as Key Vault keeps a certificate; a
    /// trusted root's, the certificate as PEM or base64.
    /// </summary>
    public static ApplicationGateway Read(ApplicationGateway gateway, KeyVaultSecrets secrets)
    {
        if (!gateway.SslCertificates.Any(c => c.KeyVaultSecretId is not null) && !gateway.TrustedRootCertificates.Any(r => r.Data is null && r.KeyVaultSecretId is not null))
            return gateway;
        SecretRead ReadFor(string owner, string secretId) => secrets.Read(owner, secretId, gateway.UserAssignedIdentityId ?? "");
        return gateway with
        {
            SslCertificates = [.. gateway.SslCertificates.Select(certificate =>
            {
                if (certificate.KeyVaultSecretId is not { } secretId) return certificate;
                var read = ReadFor(certificate.Id, secretId);
                if (read.Error is { } error) return certificate with { Unreadable = error };
                return ApplicationGatewayProvisioner.TryDecodeBase64(read.Value ?? "", out var pfx)
                    ? certificate with { Pfx = pfx, Password = null }
                    : certificate with { Unreadable = ArmErrors.SslCertificateNotBase64(certificate.Id, certificate.Id) };
            })],
            TrustedRootCertificates = [.. gateway.TrustedRootCertificates.Select(root =>
            {
                if (root.Data is not null || root.KeyVaultSecretId is not { } secretId) return root;
                var read = ReadFor(root.Id, secretId);
                return read.Error is { } error ? root with { Unreadable = error } : root with { Data = read.Value };
            })],
        };
    }
}
