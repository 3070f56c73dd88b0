using System.CommandLine;
using System.Globalization;
using Forgeline.Core.Signing;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary><c>forgeline key create|import|list|show|export-public|disable|enable|delete|allow</c>.</summary>
public static class KeyCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var command = new Command("key", "Manage signing keys (private keys never leave the signer)");
        command.Subcommands.Add(CreateKey());
        command.Subcommands.Add(Import());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(ExportPublic());
        command.Subcommands.Add(SetEnabled("enable", true));
        command.Subcommands.Add(SetEnabled("disable", false));
        command.Subcommands.Add(Delete());
        command.Subcommands.Add(Allow());
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "Key name" };

    private static Command CreateKey()
    {
        var name = NameArgument();
        var type = new Option<string>("--type") { Description = "openpgp or x509", DefaultValueFactory = _ => "openpgp" };
        var algorithm = new Option<string>("--algorithm") { Description = "openpgp: rsa2048|rsa3072|rsa4096|ed25519; x509: rsa2048|rsa3072|rsa4096|ecdsa-p256", DefaultValueFactory = _ => "rsa4096" };
        var userId = new Option<string?>("--user-id") { Description = "OpenPGP user id, e.g. 'Example RPM <rpm@example.org>'" };
        var subject = new Option<string?>("--subject") { Description = "X.509 subject, e.g. 'CN=Example Secure Boot'" };
        var issuer = new Option<string?>("--issuer") { Description = "X.509: the CA key that issues the certificate (self-signed when absent)" };
        var ca = new Option<bool>("--ca") { Description = "X.509: make a CA (root, or intermediate with --issuer)" };
        var expires = new Option<string?>("--expires") { Description = "Expiry: a date (2028-01-01) or a span (90d, 2y)" };
        var purposes = new Option<string[]>("--purpose") { Description = "What it may sign: rpm, file, container (openpgp); kmod, efi, ca (x509)", AllowMultipleArgumentsPerToken = true };
        var signers = new Option<string[]>("--signer") { Description = "Token names that may sign with it (default: any token with the sign scope)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("create", "Create a key inside the signer (admin)") { name, type, algorithm, userId, subject, issuer, ca, expires, purposes, signers };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var request = new CreateKeyRequest(parse.GetValue(name)!, parse.GetValue(type)!, parse.GetValue(algorithm)!, parse.GetValue(userId), parse.GetValue(subject),
                parse.GetValue(issuer), parse.GetValue(ca), ParseExpiry(parse.GetValue(expires)), NullIfEmpty(parse.GetValue(purposes)), NullIfEmpty(parse.GetValue(signers)));
            Print(parse, await client.CreateKeyAsync(request, ct));
            return 0;
        }));
        return command;
    }

    private static Command Import()
    {
        var name = NameArgument();
        var openPgp = new Option<FileInfo?>("--openpgp") { Description = "An armored OpenPGP secret key (gpg --export-secret-keys --armor)" };
        var passphraseFile = new Option<FileInfo?>("--passphrase-file") { Description = "File holding the OpenPGP key's passphrase" };
        var privateKey = new Option<FileInfo?>("--private-key") { Description = "X.509 private key, PEM (PKCS#8, RSA or EC)" };
        var certificate = new Option<FileInfo?>("--certificate") { Description = "The matching certificate, then its chain, PEM" };
        var purposes = new Option<string[]>("--purpose") { Description = "What it may sign", AllowMultipleArgumentsPerToken = true };
        var signers = new Option<string[]>("--signer") { Description = "Token names that may sign with it", AllowMultipleArgumentsPerToken = true };
        var command = new Command("import", "Import an existing private key; it is sealed at once (admin)") { name, openPgp, passphraseFile, privateKey, certificate, purposes, signers };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            static string? Read(FileInfo? file) => file is null ? null : File.Exists(file.FullName) ? File.ReadAllText(file.FullName) : throw new CliException($"{file.FullName} does not exist");
            var request = new ImportKeyRequest(parse.GetValue(name)!, Read(parse.GetValue(openPgp)), Read(parse.GetValue(passphraseFile))?.TrimEnd('\n', '\r'),
                Read(parse.GetValue(privateKey)), Read(parse.GetValue(certificate)), NullIfEmpty(parse.GetValue(purposes)), NullIfEmpty(parse.GetValue(signers)));
            Print(parse, await client.ImportKeyAsync(request, ct));
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List keys");
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var keys = await client.ListKeysAsync(ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(keys);
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Name", "Type", "Purposes", "Identity", "Fingerprint", "Expires", "State");
            foreach (var k in keys)
            {
                table.AddRow(Markup.Escape(k.Name), $"{k.Type} {k.Algorithm}", string.Join(",", k.Purposes), Markup.Escape(k.Identity), k.Fingerprint,
                    k.ExpiresAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never", k.Disabled ? "[grey]disabled[/]" : "[green]active[/]");
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var name = NameArgument();
        var command = new Command("show", "Show a key (public parts)") { name };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            Print(parse, await client.GetKeyAsync(parse.GetValue(name)!, ct));
            return 0;
        }));
        return command;
    }

    private static Command ExportPublic()
    {
        var name = NameArgument();
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of stdout" };
        var command = new Command("export-public", "Print the public key (armored OpenPGP, or PEM certificate and chain)") { name, output };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var key = await client.GetKeyAsync(parse.GetValue(name)!, ct);
            var text = key.PublicKey + string.Concat(key.Chain);
            if (parse.GetValue(output) is { } path)
            {
                await File.WriteAllTextAsync(path, text, ct);
            }
            else
            {
                Console.Write(text);
            }

            return 0;
        }));
        return command;
    }

    private static Command SetEnabled(string verb, bool enabled)
    {
        var name = NameArgument();
        var command = new Command(verb, enabled ? "Enable a key (admin)" : "Disable a key: it refuses to sign until enabled (admin)") { name };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var key = await client.SetKeyEnabledAsync(parse.GetValue(name)!, enabled, ct);
            Console.WriteLine($"Key {key.Name} {(key.Disabled ? "disabled" : "enabled")}.");
            return 0;
        }));
        return command;
    }

    private static Command Delete()
    {
        var name = NameArgument();
        var command = new Command("delete", "Delete a key for good (admin)") { name };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            await client.DeleteKeyAsync(parse.GetValue(name)!, ct);
            Console.WriteLine($"Key {parse.GetValue(name)} deleted.");
            return 0;
        }));
        return command;
    }

    private static Command Allow()
    {
        var name = NameArgument();
        var signers = new Argument<string[]>("signers") { Description = "Token names (or *) that may sign with the key; replaces the current list", Arity = ArgumentArity.OneOrMore };
        var command = new Command("allow", "Set who may sign with a key (admin)") { name, signers };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var key = await client.SetKeySignersAsync(parse.GetValue(name)!, parse.GetValue(signers)!, ct);
            Console.WriteLine($"Key {key.Name} may be used by: {string.Join(" ", key.AllowedSigners)}");
            return 0;
        }));
        return command;
    }

    private static void Print(ParseResult parse, KeyDto key)
    {
        if (parse.GetValue(ForgelineCommandLine.JsonOption))
        {
            BuildOutput.Json(key);
            return;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[grey]Key[/]", Markup.Escape(key.Name));
        grid.AddRow("[grey]Type[/]", $"{key.Type} {key.Algorithm}");
        grid.AddRow("[grey]Purposes[/]", string.Join(", ", key.Purposes));
        grid.AddRow("[grey]Identity[/]", Markup.Escape(key.Identity));
        grid.AddRow("[grey]Fingerprint[/]", key.Fingerprint);
        grid.AddRow("[grey]Key id / serial[/]", key.KeyId ?? "");
        grid.AddRow("[grey]Issuer[/]", Markup.Escape(key.Issuer ?? "(self)"));
        grid.AddRow("[grey]Expires[/]", key.ExpiresAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never");
        grid.AddRow("[grey]State[/]", key.Disabled ? "disabled" : "active");
        grid.AddRow("[grey]Signers[/]", Markup.Escape(string.Join(" ", key.AllowedSigners)));
        AnsiConsole.Write(grid);
    }

    private static IReadOnlyList<string>? NullIfEmpty(string[]? values) => values is { Length: > 0 } ? values : null;

    private static DateTimeOffset? ParseExpiry(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text.Length > 1 && int.TryParse(text[..^1], CultureInfo.InvariantCulture, out var n) && text[^1] is 'd' or 'y')
        {
            return text[^1] == 'd' ? DateTimeOffset.UtcNow.AddDays(n) : DateTimeOffset.UtcNow.AddYears(n);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : throw new CliException($"--expires '{text}' is neither a date (2028-01-01) nor a span (90d, 2y)");
    }
}
