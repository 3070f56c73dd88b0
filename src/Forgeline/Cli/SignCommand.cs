using System.CommandLine;
using System.Globalization;
using Forgeline.Core.Client;
using Forgeline.Rpm;
using Forgeline.Signing.Client;
using Forgeline.Signing.OpenPgp;
using Forgeline.Signing.X509;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary><c>forgeline sign rpm|file|kmod|efi|container|log</c>: remote signing, local assembly.</summary>
public static class SignCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var command = new Command("sign", "Sign files with a key held by the signer (needs a token with the sign scope)");
        command.Subcommands.Add(Rpm());
        command.Subcommands.Add(Detached());
        command.Subcommands.Add(OneFile("kmod", "Append a kernel-module signature (PKCS#7, as sign-file does)", withReplace: true,
            (signer, path, replace, output, ct) => signer.SignKernelModuleAsync(path, replace, output, ct)));
        command.Subcommands.Add(OneFile("efi", "Sign an EFI binary with Authenticode (replaces an existing signature)", withReplace: false,
            (signer, path, _, output, ct) => signer.SignEfiAsync(path, output, ct)));
        command.Subcommands.Add(Container());
        command.Subcommands.Add(Log());
        return command;
    }

    // The signer node records the token's name; the name given here is only used in-process.
    private static FileSigner Signer(ForgelineClient client, string key) => new(new HttpSigningBackend(client, $"the signer at {client.Server}"), key, signer: "cli");

    private static Option<string> KeyOption() => new("--key", "-k") { Description = "Name of the signing key", Required = true };

    private static Command Rpm()
    {
        var key = KeyOption();
        var files = new Argument<string[]>("files") { Description = "RPM packages (signed in place unless --output-dir)", Arity = ArgumentArity.OneOrMore };
        var outputDir = new Option<string?>("--output-dir", "-o") { Description = "Write signed packages here instead of replacing them" };
        var command = new Command("rpm", "Add or replace the header signature of RPM packages, in parallel") { key, files, outputDir };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var paths = parse.GetValue(files)!.Select(Path.GetFullPath).ToList();
            var output = parse.GetValue(outputDir) is { } dir ? Directory.CreateDirectory(dir).FullName : null;
            var signer = Signer(client, parse.GetValue(key)!);
            var results = await CliProgress.RunAsync($"Signing {paths.Count} RPM(s)", paths.Count, bytes: false,
                progress => signer.SignRpmsAsync(paths, output, CliProgress.Counting<SignedFile>(progress), ct));
            return Report(parse, results);
        }));
        return command;
    }

    private static Command Detached()
    {
        var key = KeyOption();
        var file = new Argument<string>("file") { Description = "Any file: ISO, repomd.xml, tarball" };
        var armor = new Option<bool>("--armor", "-a") { Description = "ASCII-armored signature (.asc) instead of binary (.sig)" };
        var output = new Option<string?>("--output", "-o") { Description = "Signature file (default FILE.sig or FILE.asc)" };
        var command = new Command("file", "Make a detached OpenPGP signature that gpg --verify accepts") { key, file, armor, output };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var signer = Signer(client, parse.GetValue(key)!);
            return await OneAsync(parse, () => signer.SignDetachedAsync(parse.GetValue(file)!, parse.GetValue(armor), parse.GetValue(output), ct));
        }));
        return command;
    }

    private static Command OneFile(string name, string description, bool withReplace, Func<FileSigner, string, bool, string?, CancellationToken, Task<SignedFile>> sign)
    {
        var key = KeyOption();
        var file = new Argument<string>("file") { Description = "The file to sign (in place unless --output)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the signed file here instead" };
        var replace = new Option<bool>("--replace") { Description = "Replace an existing signature" };
        var command = new Command(name, description) { key, file, output };
        if (withReplace)
        {
            command.Options.Add(replace);
        }

        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var signer = Signer(client, parse.GetValue(key)!);
            return await OneAsync(parse, () => sign(signer, parse.GetValue(file)!, withReplace && parse.GetValue(replace), parse.GetValue(output), ct));
        }));
        return command;
    }

    private static Command Container()
    {
        var key = KeyOption();
        var manifest = new Option<string>("--manifest") { Description = "The image manifest (JSON) to sign", Required = true };
        var reference = new Option<string>("--reference") { Description = "The docker reference it is signed for, e.g. registry.example.org/app:1.0", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Signature file", DefaultValueFactory = _ => "signature-1" };
        var command = new Command("container", "Make a containers/image simple signature (skopeo standalone-verify accepts it)") { key, manifest, reference, output };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var signer = Signer(client, parse.GetValue(key)!);
            return await OneAsync(parse, async () =>
            {
                var signature = await signer.SignContainerAsync(await File.ReadAllBytesAsync(parse.GetValue(manifest)!, ct), parse.GetValue(reference)!, ct);
                AtomicFile.WriteAllBytes(parse.GetValue(output)!, signature);
                return new SignedFile(parse.GetValue(manifest)!, parse.GetValue(output), null);
            });
        }));
        return command;
    }

    private static Command Log()
    {
        var key = new Option<string?>("--key", "-k") { Description = "Only signatures by this key" };
        var limit = new Option<int>("--limit", "-n") { Description = "How many", DefaultValueFactory = _ => 50 };
        var command = new Command("log", "The signature audit trail: who signed what with which key") { key, limit };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var entries = await client.SignatureLogAsync(parse.GetValue(key), parse.GetValue(limit), ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(entries);
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("#", "When", "Key", "Signer", "Format", "File", "Digest");
            foreach (var e in entries)
            {
                table.AddRow(e.Id.ToString(CultureInfo.InvariantCulture), e.SignedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Markup.Escape(e.Key),
                    Markup.Escape(e.Signer), e.Format, Markup.Escape(e.FileName ?? ""), e.Digest[..16] + "…");
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static async Task<int> OneAsync(ParseResult parse, Func<Task<SignedFile>> sign)
    {
        try
        {
            var result = await sign();
            return Report(parse, [result]);
        }
        catch (Exception e) when (e is X509SigningException or RpmFormatException or OpenPgpFormatException or OpenPgpRequestException or IOException)
        {
            await Console.Error.WriteLineAsync($"forgeline: {e.Message}; the file was not changed");
            return 1;
        }
    }

    private static int Report(ParseResult parse, IReadOnlyList<SignedFile> results)
    {
        if (parse.GetValue(ForgelineCommandLine.JsonOption))
        {
            BuildOutput.Json(results);
        }
        else
        {
            foreach (var r in results)
            {
                if (r.Succeeded)
                {
                    Console.WriteLine($"signed {r.Output}");
                }
                else
                {
                    Console.Error.WriteLine($"forgeline: {r.Source}: {r.Error}; the file was not changed");
                }
            }
        }

        return results.All(r => r.Succeeded) ? 0 : 1;
    }
}
