namespace Forgeline.Core;

/// <summary>Reads settings that hold secrets: <c>env:NAME</c>, <c>file:PATH</c> or the value itself.</summary>
public static class SecretValue
{
    /// <summary>The secret, or a message naming <paramref name="setting"/> when it cannot be read.</summary>
    public static (string? Value, string? Problem) Resolve(string? value, string setting)
    {
        if (string.IsNullOrEmpty(value))
        {
            return (null, $"{setting} is empty; set the secret, env:VARIABLE or file:PATH");
        }

        if (value.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = value[4..];
            return Environment.GetEnvironmentVariable(name) is { Length: > 0 } fromEnvironment
                ? (fromEnvironment, null)
                : (null, $"{setting} names the environment variable {name}, which is not set");
        }

        if (value.StartsWith("file:", StringComparison.Ordinal))
        {
            var path = value[5..];
            return File.Exists(path)
                ? (File.ReadAllText(path).Trim(), null)
                : (null, $"{setting} names the file {path}, which does not exist");
        }

        return (value, null);
    }
}
