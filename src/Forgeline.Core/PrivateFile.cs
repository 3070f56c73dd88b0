namespace Forgeline.Core;

/// <summary>Files only their owner may read (tokens, keys): created with mode 0600, never briefly readable by others.</summary>
public static class PrivateFile
{
    /// <summary>Mode 0600.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> with mode 0600, replacing any earlier file.</summary>
    public static void WriteAllText(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
        using (var file = new FileStream(path, options))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(text);
        }

        // UnixCreateMode applies only when the file is new; an existing one keeps its mode unless set.
        File.SetUnixFileMode(path, OwnerOnly);
    }
}
