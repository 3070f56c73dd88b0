namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>signatures</c> table: the audit trail of every signature made.</summary>
public sealed class SignatureRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The key used.</summary>
    public required string KeyName { get; set; }

    /// <summary>The token that asked.</summary>
    public required string Signer { get; set; }

    /// <summary>rpm, file, container, kmod or efi.</summary>
    public required string Format { get; set; }

    /// <summary>Lower-case hex digest of what was signed (the RPM header, the file's prepared digest …).</summary>
    public required string Digest { get; set; }

    /// <summary>The file name the client gave.</summary>
    public string? FileName { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime SignedAt { get; set; }
}
