using Gatehouse.Errors;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>Azure's checks on backend HTTP settings and health probes (appgw-behaviour §5.8, §5.9).</summary>
internal static class BackendValidator
{
    public static void Validate(ApplicationGateway gateway)
    {
        ValidateBackendSettings(gateway);
        ValidateProbes(gateway);
    }

    private static void ValidateBackendSettings(ApplicationGateway gateway)
    {
        foreach (var settings in gateway.BackendHttpSettingsCollection)
        {
            InRange(settings.Port, 1, 65535, "port", settings.Id);
            InRange(settings.RequestTimeoutSeconds, 1, 86400, "requestTimeout", settings.Id);
            if (settings.ConnectionDraining is { } draining)
                InRange(draining.DrainTimeoutInSec, 1, 3600, "connectionDraining.drainTimeoutInSec", settings.Id);
            if (settings.PickHostNameFromBackendAddress && settings.HostName is not null)
                throw new ArmException("ApplicationGatewayBackendHttpSettingsHostNameAndPickHostNameCannotBeSpecifiedTogether",
                    $"The backend HTTP settings {settings.Id} set both hostName and pickHostNameFromBackendAddress; use one of them.", settings.Id);
        }
    }

    private static void ValidateProbes(ApplicationGateway gateway)
    {
        foreach (var probe in gateway.Probes)
        {
            if (!probe.Path.StartsWith('/'))
                throw new ArmException("ApplicationGatewayProbePathMustStartWithSlash",
                    $"The path '{probe.Path}' of the probe {probe.Id} must start with '/'.", probe.Id);
            InRange(probe.IntervalSeconds, 1, 86400, "interval", probe.Id);
            InRange(probe.TimeoutSeconds, 1, 86400, "timeout", probe.Id);
            InRange(probe.UnhealthyThreshold, 1, 20, "unhealthyThreshold", probe.Id);
            if (probe.Port is { } port) InRange(port, 1, 65535, "port", probe.Id);
            if (probe.PickHostNameFromBackendHttpSettings == (probe.Host is not null))
                throw new ArmException("ApplicationGatewayProbeMustSpecifyHostOrPickHostNameFromBackendHttpSettings",
                    $"The probe {probe.Id} must specify exactly one of host and pickHostNameFromBackendHttpSettings.", probe.Id);
        }
    }

    private static void InRange(int value, int min, int max, string property, string target)
    {
        if (value < min || value > max)
            throw new ArmException("ApplicationGatewayPropertyValueOutOfRange",
                $"The {property} of {target} is {value}; it must be between {min} and {max}.", target);
    }
}
