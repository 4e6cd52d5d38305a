using System.Net;
using Gatehouse.Errors;
using static Gatehouse.Network.PropertyPaths;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>Azure's checks on backend pools, backend HTTP settings and health probes (appgw-behaviour §5.8, §5.9).</summary>
internal static class BackendValidator
{
    public static void Validate(ApplicationGateway gateway, ArmErrorList errors)
    {
        ValidatePools(gateway, errors);
        ValidateBackendSettings(gateway, errors);
        ValidateProbes(gateway, errors);
    }

    /// <summary>A member is a host name or an IP address as written, never a URL: the data plane builds its URL from it.</summary>
    private static void ValidatePools(ApplicationGateway gateway, ArmErrorList errors)
    {
        foreach (var (pool, item) in gateway.BackendAddressPools.Select((p, i) => (p, Item("backendAddressPools", i))))
            foreach (var (address, index) in pool.BackendAddresses.Select((a, i) => (a, $"{Of(item, "backendAddresses")}[{i}]")))
            {
                if (address.Fqdn is null && address.IpAddress is null)
                    errors.Add(ArmErrors.BackendAddressInvalid(index, pool.Id, "", "give fqdn or ipAddress"));
                if (address.Fqdn is { } fqdn && HostNameProblem(fqdn) is { } problem)
                    errors.Add(ArmErrors.BackendAddressInvalid($"{index}.fqdn", pool.Id, fqdn, problem));
                // Azure has long taken a host name as ipAddress (the webapps quickstart gives azurewebsites.net names there).
                if (address.IpAddress is { } ip && !IPAddress.TryParse(ip, out _) && HostNameProblem(ip) is not null)
                    errors.Add(ArmErrors.BackendAddressInvalid($"{index}.ipAddress", pool.Id, ip, "it is neither an IP address nor a host name"));
            }
    }

    /// <summary>Why <paramref name="name"/> is not a DNS host name (RFC 1123 labels), or <c>null</c>.</summary>
    private static string? HostNameProblem(string name)
    {
        if (name.Contains("://", StringComparison.Ordinal)) return "give the host name alone, without a scheme";
        if (name.Length is 0 or > 253) return "a host name has 1 to 253 characters";
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            if (label.Length is 0 or > 63) return "each dot-separated label has 1 to 63 characters";
            if (label.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
                return "only letters, digits, '-' and '.' are allowed (a port belongs in the backend settings)";
            if (label.StartsWith('-') || label.EndsWith('-')) return "a label cannot start or end with '-'";
        }
        return null;
    }

    private static void ValidateBackendSettings(ApplicationGateway gateway, ArmErrorList errors)
    {
        foreach (var (settings, item) in gateway.BackendHttpSettingsCollection.Select((s, i) => (s, Item("backendHttpSettingsCollection", i))))
        {
            if (settings.Protocol is not (ListenerProtocol.Http or ListenerProtocol.Https))
                errors.Add(ArmErrors.ProtocolNotForCollection(Of(item, "protocol"), $"backend HTTP settings {settings.Id}", settings.Protocol.ToString(),
                    "Http or Https", "backendSettingsCollection"));
            InRange(settings.Port, 1, 65535, item, "port", settings.Id, errors);
            InRange(settings.RequestTimeoutSeconds, 1, 86400, item, "requestTimeout", settings.Id, errors);
            if (settings.ConnectionDraining is { } draining)
                InRange(draining.DrainTimeoutInSec, 1, 3600, item, "connectionDraining.drainTimeoutInSec", settings.Id, errors);
            if (settings.PickHostNameFromBackendAddress && settings.HostName is not null)
                errors.Add(ArmErrors.BackendSettingsHostNameAndPickHostName(Of(item, "hostName"), settings.Id));
            ValidateTrustedRoots(gateway, settings.TrustedRootCertificateIds, item, errors);
            ValidateProbeProtocol(gateway, settings.ProbeId, settings.Id, item, layer4: false, errors);
        }
    }

    /// <summary>Each trusted root a settings names must load; one from Key Vault is read when served (<see cref="KeyVaultCertificates"/>).</summary>
    public static void ValidateTrustedRoots(ApplicationGateway gateway, IReadOnlyList<string> rootIds, string item, ArmErrorList errors)
    {
        foreach (var (rootId, index) in rootIds.Select((r, i) => (r, i)))
        {
            if (gateway.TrustedRootCertificates.FirstOrDefault(r => ResourceIds.Comparer.Equals(r.Id, rootId)) is not { } root) continue;
            var path = $"{Of(item, "trustedRootCertificates")}[{index}]";
            if (root.Data is null && root.KeyVaultSecretId is not null) continue;
            if (PublicCertificates.TryLoad(root.Data ?? "") is null)
                errors.Add(ArmErrors.TrustedRootCertificateInvalidData(path, root.Id));
        }
    }

    /// <summary>HTTP settings probe over Http or Https, layer-4 settings over Tcp or Tls.</summary>
    public static void ValidateProbeProtocol(ApplicationGateway gateway, string? probeId, string settingsId, string item, bool layer4, ArmErrorList errors)
    {
        if (gateway.Probes.FirstOrDefault(p => ResourceIds.Comparer.Equals(p.Id, probeId)) is not { } probe) return;
        if ((probe.Protocol is ListenerProtocol.Tcp or ListenerProtocol.Tls) != layer4)
            errors.Add(ArmErrors.ProbeProtocolMismatch(Of(item, "probe"), probe.Id, probe.Protocol.ToString(), settingsId));
    }

    private static void ValidateProbes(ApplicationGateway gateway, ArmErrorList errors)
    {
        foreach (var (probe, item) in gateway.Probes.Select((p, i) => (p, Item("probes", i))))
        {
            if (!probe.Path.StartsWith('/'))
                errors.Add(ArmErrors.ProbePathWithoutSlash(Of(item, "path"), probe.Id, probe.Path));
            InRange(probe.IntervalSeconds, 1, 86400, item, "interval", probe.Id, errors);
            InRange(probe.TimeoutSeconds, 1, 86400, item, "timeout", probe.Id, errors);
            InRange(probe.UnhealthyThreshold, 1, 20, item, "unhealthyThreshold", probe.Id, errors);
            if (probe.Port is { } port) InRange(port, 1, 65535, item, "port", probe.Id, errors);
            // A layer-4 probe only connects: it sends no host.
            if (probe.Protocol is ListenerProtocol.Http or ListenerProtocol.Https && probe.PickHostNameFromBackendHttpSettings == (probe.Host is not null))
                errors.Add(ArmErrors.ProbeHostNotOne(Of(item, "host"), probe.Id));
            foreach (var (status, index) in probe.Match.StatusCodes.Select((s, i) => (s, i)))
                if (StatusCodeRange.Parse(status) is null)
                    errors.Add(ArmErrors.ProbeStatusCodeInvalid($"{Of(item, "match.statusCodes")}[{index}]", probe.Id, status));
        }
    }

    private static void InRange(int value, int min, int max, string item, string property, string owner, ArmErrorList errors)
    {
        if (value < min || value > max)
            errors.Add(ArmErrors.ValueOutOfRange(Of(item, property), owner, property, value, min, max));
    }
}
