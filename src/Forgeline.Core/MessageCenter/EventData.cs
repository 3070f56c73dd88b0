namespace Forgeline.Core.MessageCenter;

/// <summary>The <c>data</c> of <c>org.forgeline.build.*</c> events.</summary>
/// <param name="Id">The build.</param>
/// <param name="Owner">Whose build it is.</param>
/// <param name="Package">The package as name-version-release, once known.</param>
/// <param name="Arch">The architecture it builds for.</param>
/// <param name="State">Its state after this step: queued, running, succeeded, failed, canceled or error.</param>
/// <param name="Result">The final state, on <c>finished</c> only.</param>
/// <param name="Project">The project it belongs to, if any.</param>
/// <param name="Worker">The worker involved, if any.</param>
/// <param name="Detail">Why, for people (e.g. <c>attempt 2</c>, <c>cached from build 7</c>).</param>
public sealed record BuildEventData(long Id, string Owner, string? Package, string Arch, string State, string? Result, string? Project, string? Worker, string? Detail);

/// <summary>The <c>data</c> of <c>org.forgeline.project.*</c> events.</summary>
public sealed record ProjectEventData(string Name, string Owner, bool IsPublic, IReadOnlyList<string> Chroots, string? Description);

/// <summary>The <c>data</c> of <c>org.forgeline.repository.published</c>.</summary>
/// <param name="Project">The project.</param>
/// <param name="Chroot">The repository's chroot.</param>
/// <param name="Generation">The generation now served.</param>
/// <param name="Packages">How many RPMs it holds.</param>
/// <param name="RepomdSha256">sha256 of the new <c>repomd.xml</c>.</param>
/// <param name="Path">Where it is served on the server, e.g. <c>/repos/tools/openeuler-24.03-x86_64/</c>.</param>
public sealed record RepositoryPublishedData(string Project, string Chroot, long Generation, int Packages, string? RepomdSha256, string Path);

/// <summary>The <c>data</c> of <c>org.forgeline.signature.created</c>: what was signed, never key material.</summary>
/// <param name="Key">The key's name.</param>
/// <param name="Signer">Who asked for the signatures.</param>
/// <param name="Format">rpm, file, kmod, efi or container.</param>
/// <param name="Items">Each signed item.</param>
public sealed record SignatureCreatedData(string Key, string Signer, string Format, IReadOnlyList<SignedItemData> Items);

/// <summary>One signed item of <see cref="SignatureCreatedData"/>.</summary>
/// <param name="Digest">The digest that was signed, as the audit trail records it.</param>
/// <param name="FileName">The file's name, when the client gave one.</param>
public sealed record SignedItemData(string Digest, string? FileName);

/// <summary>The <c>data</c> of <c>org.forgeline.bot.command</c>.</summary>
/// <param name="Forge">github, gitee or gitlab.</param>
/// <param name="Repository">owner/name.</param>
/// <param name="Number">The pull request or issue.</param>
/// <param name="Author">Who wrote the comment.</param>
/// <param name="Commands">The slash commands in it, e.g. <c>/lgtm</c>.</param>
/// <param name="Outcome"><c>done</c>, or the plugins that failed.</param>
public sealed record BotCommandData(string Forge, string Repository, int Number, string Author, IReadOnlyList<string> Commands, string Outcome);
