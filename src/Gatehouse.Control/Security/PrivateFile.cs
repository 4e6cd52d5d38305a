using System.Text;

namespace Gatehouse.Control.Security;

/// <summary>
/// Everything created in the data directory is the owner's alone: files mode 600, directories 700, whatever the
/// umask. Secrets are in some of them, and the others (the store, certificates, logs) say what runs where.
/// </summary>
internal static class PrivateFile
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, DirectoryMode);
    }

    public static byte[] ReadOrCreate(string path, Func<byte[]> create)
    {
        if (File.Exists(path)) return File.ReadAllBytes(path);
        var content = create();
        Write(path, content);
        return content;
    }

    public static void WriteText(string path, string text) => Write(path, Encoding.UTF8.GetBytes(text));

    /// <summary>Writes through a temporary file, so that a crash never leaves half a key behind.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, Options(System.IO.FileMode.Create, FileAccess.Write)))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>An empty file, unless it exists: SQLite gives its -wal and -shm files the mode of the database file.</summary>
    public static void Touch(string path)
    {
        using var _ = new FileStream(path, Options(System.IO.FileMode.OpenOrCreate, FileAccess.Write));
    }

    private static FileStreamOptions Options(System.IO.FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        return options;
    }
}
