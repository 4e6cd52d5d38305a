namespace Gatehouse.Gateway.Observability;

/// <summary>
/// An access log file rotated by size: when a line would take <c>access.log</c> past the limit it becomes
/// <c>access.log.1</c> (older ones shift up to the kept count; the oldest is deleted) and a new file starts.
/// </summary>
public sealed class RollingFileSink : IAccessLogSink
{
    private static readonly byte[] LineFeed = "\n"u8.ToArray();

    private readonly string _path;
    private readonly long _maxBytes;
    private readonly int _keep;
    private FileStream _file;
    // Counted here: FileStream.Length on a file others may share asks the file system (fstat) on every call.
    private long _length;

    /// <param name="keep">How many rotated files stay besides the current one.</param>
    public RollingFileSink(string path, long maxBytes, int keep)
    {
        _path = Path.GetFullPath(path);
        _maxBytes = maxBytes;
        _keep = keep;
        var directory = Path.GetDirectoryName(_path)!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _file = Open();
        _length = _file.Length;
    }

    public void Write(ReadOnlySpan<byte> line)
    {
        if (_length > 0 && _length + line.Length + 1 > _maxBytes) Rotate();
        _file.Write(line);
        _file.Write(LineFeed);
        _length += line.Length + 1;
    }

    public void Flush() => _file.Flush();

    public void Dispose() => _file.Dispose();

    public override string ToString() => _path;

    private void Rotate()
    {
        _file.Dispose();
        File.Delete(Rotated(_keep));
        for (var generation = _keep - 1; generation >= 1; generation--)
            if (File.Exists(Rotated(generation))) File.Move(Rotated(generation), Rotated(generation + 1));
        File.Move(_path, Rotated(1));
        _file = Open();
        _length = 0;
    }

    private string Rotated(int generation) => $"{_path}.{generation}";

    // Others may read (gatehouse logs, the portal) while the gateway appends. Client addresses and certificate
    // names are the owner's business only: created mode 600 (700 for the directory), as the rest of the data directory.
    private FileStream Open()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 64 * 1024,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return new FileStream(_path, options);
    }
}
