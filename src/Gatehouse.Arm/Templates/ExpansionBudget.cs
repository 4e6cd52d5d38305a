using Gatehouse.Errors;

namespace Gatehouse.Arm.Templates;

/// <summary>What one deployment has computed so far, nested and linked templates included, against <see cref="TemplateLimits.MaxExpansionSize"/>.</summary>
internal sealed class ExpansionBudget
{
    private long _used;

    public void Charge(long size)
    {
        _used += size;
        if (_used > TemplateLimits.MaxExpansionSize)
            throw new ArmException("DeploymentJobSizeExceeded",
                $"The deployment exceeds the job size limit: expanding its copy loops and expressions produced more than {TemplateLimits.MaxExpansionSize / (1024 * 1024)} MB. " +
                "Please see https://aka.ms/arm-template-limits for usage details.");
    }
}
