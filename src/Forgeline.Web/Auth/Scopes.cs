namespace Forgeline.Web.Auth;

/// <summary>What a token may do. <c>admin</c> may do everything.</summary>
public static class Scopes
{
    /// <summary>Everything, including managing tokens.</summary>
    public const string Admin = "admin";

    /// <summary>Submit and cancel builds.</summary>
    public const string Build = "build";

    /// <summary>Lease and run jobs (build workers).</summary>
    public const string Worker = "worker";

    /// <summary>Sign with the keys the token is allowed to use.</summary>
    public const string Sign = "sign";

    /// <summary>Report to the server as a playground host (<c>forgeline playground-host</c>).</summary>
    public const string PlaygroundHost = "playground-host";

    /// <summary>Every scope a token can have.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Admin, Build, Worker, Sign, PlaygroundHost };

    /// <summary>The claim type scopes are carried in.</summary>
    public const string ClaimType = "scope";
}
