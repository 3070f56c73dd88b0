using System.Text.Json.Serialization;

namespace Forgeline.Rpm;

/// <summary>
/// One dependency or provide as rpm writes it: <c>name</c>, <c>name op [epoch:]version[-release]</c>, a file path
/// (<c>/usr/bin/python3</c>), <c>rpmlib(…)</c>, or a rich dependency in parentheses (<c>(a or b &gt;= 2)</c>), which
/// keeps its whole text as <see cref="Name"/>. In JSON it is that text, e.g. <c>"make &gt;= 4.0"</c>.
/// </summary>
/// <param name="Name">The capability name, or the whole text of a rich dependency.</param>
/// <param name="Operator"><c>&lt;</c>, <c>&lt;=</c>, <c>=</c>, <c>&gt;=</c>, <c>&gt;</c>, or null when unversioned.</param>
/// <param name="Version"><c>[epoch:]version[-release]</c>, or null when unversioned.</param>
[JsonConverter(typeof(RpmCapabilityJsonConverter))]
public sealed record RpmCapability(string Name, string? Operator = null, string? Version = null)
{
    /// <summary>A rich (boolean) dependency such as <c>(a or b)</c>; see <see cref="RichDependency"/>.</summary>
    [JsonIgnore]
    public bool IsRich => Name.StartsWith('(');

    /// <summary>A file dependency, satisfied by a package that owns the path.</summary>
    [JsonIgnore]
    public bool IsFile => Name.StartsWith('/');

    /// <summary>An <c>rpmlib(…)</c> feature of rpm itself, always satisfied by the build environment.</summary>
    [JsonIgnore]
    public bool IsRpmlib => Name.StartsWith("rpmlib(", StringComparison.Ordinal);

    /// <summary>
    /// Parses <c>name</c>, <c>name op version</c> (also <c>==</c>, <c>=&lt;</c>, <c>=&gt;</c> as rpm accepts them) or a rich
    /// dependency, whose syntax is checked. Throws <see cref="FormatException"/> naming what is wrong.
    /// </summary>
    public static RpmCapability Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new FormatException("a dependency is empty; write a name such as 'make' or 'make >= 4.0'");
        }

        if (trimmed.StartsWith('('))
        {
            // Checks the syntax and normalises the spacing, so equal dependencies have equal names.
            return new RpmCapability(RichDependency.Parse(trimmed).ToString());
        }

        var parts = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch
        {
            1 => new RpmCapability(parts[0]),
            3 when NormaliseOperator(parts[1]) is { } op => new RpmCapability(parts[0], op, parts[2]),
            3 => throw new FormatException($"'{trimmed}' has '{parts[1]}' where a comparison belongs; use one of <, <=, =, >=, >"),
            2 => throw new FormatException($"'{trimmed}' has a comparison but no version; write e.g. '{parts[0]} >= 1.0'"),
            _ => throw new FormatException($"'{trimmed}' is not one dependency; write 'name' or 'name op version', one per entry"),
        };
    }

    /// <summary>The canonical form of a comparison operator, or null when <paramref name="op"/> is none.</summary>
    public static string? NormaliseOperator(string op) => op switch
    {
        "<" or "<=" or "=" or ">=" or ">" => op,
        "==" => "=",
        "=<" => "<=",
        "=>" => ">=",
        _ => null,
    };

    /// <summary>The parsed form of a rich dependency; throws when this is not one.</summary>
    public RichDependency ToRich() => IsRich ? RichDependency.Parse(Name) : throw new InvalidOperationException($"'{Name}' is not a rich dependency");

    /// <summary>rpm's text form: <c>name</c> or <c>name op version</c>.</summary>
    public override string ToString() => Operator is null || Version is null ? Name : $"{Name} {Operator} {Version}";
}
