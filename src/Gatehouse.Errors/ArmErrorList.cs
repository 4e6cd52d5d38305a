namespace Gatehouse.Errors;

/// <summary>
/// The problems found in one request, gathered without stopping at the first (as Azure's <c>error.details[]</c> and
/// YARP's ConfigValidator report them), then raised once with <see cref="ThrowIfAny"/>.
/// </summary>
public sealed class ArmErrorList
{
    private readonly List<ArmError> _errors = [];

    public IReadOnlyList<ArmError> Errors => _errors;

    public int Count => _errors.Count;

    public void Add(ArmError error) => _errors.Add(error);

    /// <summary>Runs a check that reports its problem by throwing, keeping the problem and going on.</summary>
    public void Check(Action check)
    {
        try { check(); }
        catch (ArmException e) { Add(e.Error); }
    }

    /// <summary>
    /// Throws nothing when there is no problem, one problem as it is (so its code stays what a caller knows), and several as
    /// <paramref name="several"/>'s error with each problem in its details.
    /// </summary>
    public void ThrowIfAny(Func<IReadOnlyList<ArmError>, ArmError> several)
    {
        switch (_errors.Count)
        {
            case 0: return;
            case 1: throw new ArmException(_errors[0]);
            default: throw new ArmException(several(_errors.ToList()));
        }
    }
}
