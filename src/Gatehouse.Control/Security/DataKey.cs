using Gatehouse.Errors;

namespace Gatehouse.Control.Security;

/// <summary>
/// The data key that instances sharing a store all use (the store never holds it): 32 bytes, given as base64 text in a
/// file (<c>--data-key-file</c>) or in <see cref="EnvironmentVariable"/>.
/// </summary>
public static class DataKey
{
    public const string EnvironmentVariable = "GATEHOUSE_DATA_KEY";
    private const int Size = 32;

    public static byte[] Read(string? file)
    {
        var (text, source) = file is not null
            ? (ReadFile(file), $"--data-key-file {file}")
            : (Environment.GetEnvironmentVariable(EnvironmentVariable), EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text))
            throw new ArmException("InvalidArgument",
                $"A shared store needs the data key of its instances: give --data-key-file FILE or set {EnvironmentVariable} (32 random bytes in base64, e.g. 'openssl rand -base64 32').", "--data-key-file");
        try
        {
            var key = Convert.FromBase64String(text.Trim());
            if (key.Length == Size) return key;
        }
        catch (FormatException)
        {
        }
        // The text is a secret: the message names where it came from, never what it holds.
        throw new ArmException("InvalidArgument", $"The data key in {source} is not {Size} bytes in base64 (make one with 'openssl rand -base64 32').", "--data-key-file");
    }

    private static string ReadFile(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArmException("InvalidArgument", $"The data key file {file} cannot be read: {e.Message}", "--data-key-file");
        }
    }
}
