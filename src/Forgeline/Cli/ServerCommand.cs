using System.CommandLine;
using System.Data.Common;
using Forgeline.Core;
using Forgeline.Data;
using Forgeline.Server;
using Forgeline.Web;

namespace Forgeline.Cli;

/// <summary><c>forgeline server</c>: every server target in one process, with an embedded worker.</summary>
public static class ServerCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Data directory (default: FORGELINE_DATA, then ./.data)" };
        var urls = new Option<string?>("--urls") { Description = "Listen address, as in ASP.NET (default http://127.0.0.1:5080)" };
        var noWorker = new Option<bool>("--no-worker") { Description = "Do not run the embedded build worker" };
        var targetsOption = new Option<string?>("--targets") { Description = "Which targets to run: api, scheduler, signer, worker, bot, events, comma-separated (default: all)" };
        var logFormat = new Option<string?>("--log-format") { Description = "Console logs as text or json (default: FORGELINE_LOG_FORMAT, then text at a terminal and json otherwise)" };
        var command = new Command("server", "Run the Forgeline server (API, UI, scheduler, signer, review bot) with an embedded worker") { data, urls, noWorker, targetsOption, logFormat };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = ForgelinePaths.FromEnvironment(parse.GetValue(data));
            var (targets, problem) = ServerTargetNames.Parse(parse.GetValue(targetsOption));
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync($"forgeline: {problem}");
                return 2;
            }

            var (format, formatProblem) = ConsoleLogging.Choose(parse.GetValue(logFormat));
            if (format is null)
            {
                await Console.Error.WriteLineAsync($"forgeline: {formatProblem}");
                return 2;
            }

            if (parse.GetValue(noWorker))
            {
                targets &= ~ServerTargets.Worker;
            }

            WebApplication app;
            try
            {
                app = ServerHost.Build(parse.UnmatchedTokens.ToArray(), paths, parse.GetValue(urls), targets, format.Value, targetsChosen: parse.GetValue(targetsOption) is not null);
            }
            catch (CliException e)
            {
                await Console.Error.WriteLineAsync($"forgeline: {e.Message}");
                return 2;
            }
            catch (Microsoft.Extensions.Options.OptionsValidationException e)
            {
                // Building the host already reads some options (Kestrel's limits come from Forgeline:Builds).
                return await InvalidConfigurationAsync(e);
            }

            var database = app.Services.GetRequiredService<DatabaseSettings>();
            try
            {
                var adminToken = await ServerHost.PrepareAsync(app, cancellationToken);
                await app.StartAsync(cancellationToken);
                var url = app.Urls.First();
                Welcome(url, paths, database, adminToken);
                await app.WaitForShutdownAsync(CancellationToken.None);
                return 0;
            }
            catch (InvalidOperationException e) when (e.Message.Contains("newer version", StringComparison.Ordinal))
            {
                await Console.Error.WriteLineAsync($"forgeline: {e.Message}");
                return 2;
            }
            catch (Microsoft.Extensions.Options.OptionsValidationException e)
            {
                return await InvalidConfigurationAsync(e);
            }
            catch (Forgeline.Bot.Config.BotConfigException e)
            {
                await Console.Error.WriteLineAsync($"forgeline: the review bot's configuration is not valid: {e.Message}");
                return 2;
            }
            catch (Exception e) when ((e as DbException ?? e.InnerException as DbException) is { } failure)
            {
                // Npgsql reports an unreachable server wrapped as a transient failure. The description names engine,
                // host and database but never the password.
                await Console.Error.WriteLineAsync($"forgeline: cannot use the database ({database}): {failure.Message}; check {DatabaseSettings.EnvironmentVariable}");
                return 1;
            }
            finally
            {
                await app.DisposeAsync();
            }
        });
        return command;
    }

    /// <summary>A setting out of range or at odds with another (ValidateOnStart): one line, each failure naming its setting, exit 2.</summary>
    private static async Task<int> InvalidConfigurationAsync(Microsoft.Extensions.Options.OptionsValidationException e)
    {
        await Console.Error.WriteLineAsync($"forgeline: invalid configuration: {string.Join("; ", e.Failures)}");
        return 2;
    }

    private static void Welcome(string url, ForgelinePaths paths, DatabaseSettings database, string? adminToken)
    {
        // The banner goes to stderr, unwrapped so it can be copied: stdout carries the JSON log lines.
        var banner = new System.Text.StringBuilder();
        banner.AppendLine($"Forgeline is listening on {url}  (data: {paths.Root}; database: {database})");
        banner.AppendLine(adminToken is null
            ? $"The admin token is in {paths.AdminToken}."
            : $"Admin token (shown once; also in {paths.AdminToken}, mode 0600):\n  {adminToken}");
        banner.AppendLine($"Log in with:  forgeline login --server {url} --token \"$(cat {paths.AdminToken})\"");
        Console.Error.Write(banner.ToString());
    }
}
