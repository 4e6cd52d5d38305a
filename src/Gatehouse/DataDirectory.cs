namespace Gatehouse;

/// <summary>Where <c>serve</c> keeps its state and where the other commands find the running <c>serve</c>.</summary>
public static class DataDirectory
{
    public const string EnvironmentVariable = "GATEHOUSE_DATA_DIR";

    public static string Resolve(string? option) => Path.GetFullPath(
        option
        ?? Environment.GetEnvironmentVariable(EnvironmentVariable)
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gatehouse"));
}
