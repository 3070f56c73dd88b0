namespace Forgeline.Bot.Config;

/// <summary>Reads a secret setting: <c>env:NAME</c> (an environment variable), <c>file:/path</c> (a file's text, trimmed) or the value itself.</summary>
public static class SecretValue
{
    /// <summary>The secret; throws <see cref="BotConfigException"/> naming <paramref name="setting"/> when the variable or file is missing or empty.</summary>
    public static string Resolve(string? value, string setting)
    {
        var secret = value switch
        {
            null or "" => null,
            _ when value.StartsWith("env:", StringComparison.Ordinal) => Environment.GetEnvironmentVariable(value[4..]),
            _ when value.StartsWith("file:", StringComparison.Ordinal) => File.Exists(value[5..]) ? File.ReadAllText(value[5..]).Trim() : null,
            _ => value,
        };
        return string.IsNullOrEmpty(secret)
            ? throw new BotConfigException($"{setting}: {(value is null or "" ? "is not set" : $"'{value}' is empty or missing")}")
            : secret;
    }
}
