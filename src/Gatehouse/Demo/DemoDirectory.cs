namespace Gatehouse.Demo;

/// <summary>
/// What <c>up</c> adds to its data directory, removed when it stops: the store's data key, the service principal's
/// secret and the demo's private keys are in it. A directory that did not exist goes entirely; in one that did, only
/// the entries <c>up</c> added.
/// </summary>
internal sealed class DemoDirectory
{
    private readonly HashSet<string>? _before;

    private DemoDirectory(string path, HashSet<string>? before)
    {
        Path = path;
        _before = before;
    }

    public string Path { get; }

    public static DemoDirectory Track(string path) =>
        new(path, Directory.Exists(path) ? [.. Directory.EnumerateFileSystemEntries(path)] : null);

    public void RemoveCreated()
    {
        if (!Directory.Exists(Path)) return;
        if (_before is null)
        {
            Directory.Delete(Path, recursive: true);
            return;
        }
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path).Where(e => !_before.Contains(e)))
        {
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
    }
}
