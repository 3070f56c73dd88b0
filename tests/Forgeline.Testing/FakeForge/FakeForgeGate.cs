using Forgeline.Bot.Forges;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Forgeline.Testing;

/// <summary>
/// The fake's middleware, in front of every route: keeps the body for handlers, answers injected faults, checks the
/// token the way each forge takes it (401 otherwise), and records every call with its answer's status.
/// </summary>
internal sealed class FakeForgeGate(FakeForgeState state, FakeForgeCallLog log)
{
    private readonly object gate = new();
    private readonly Queue<FakeFault> faults = new();
    private TaskCompletionSource paused = CompletedGate();
    private TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Holds every request from now on before it is handled, until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        lock (gate)
        {
            if (paused.Task.IsCompleted)
            {
                paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Lets held and later requests through.</summary>
    public void Resume()
    {
        lock (gate)
        {
            paused.TrySetResult();
        }
    }

    /// <summary>Completes once a request is being held by <see cref="Pause"/>.</summary>
    public Task HeldAsync()
    {
        lock (gate)
        {
            return held.Task;
        }
    }

    public void FailNext(int count, int status, IDictionary<string, string>? headers, string? message)
    {
        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                faults.Enqueue(new FakeFault(status, new Dictionary<string, string>(headers ?? new Dictionary<string, string>()), message));
            }
        }
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        Task wait;
        lock (gate)
        {
            wait = paused.Task;
            if (!wait.IsCompleted)
            {
                held.TrySetResult();
            }
        }

        await wait;
        var received = state.Time.GetUtcNow();
        var forge = FakeForgeHttp.ForgeOf(context.Request.Path);
        using (var reader = new StreamReader(context.Request.Body))
        {
            context.Items[FakeForgeHttp.BodyItem] = await reader.ReadToEndAsync(context.RequestAborted);
        }

        // Recorded just before the answer starts, so a client that has its answer always finds its call in the log.
        var recorded = 0;
        void Record()
        {
            if (Interlocked.Exchange(ref recorded, 1) == 0)
            {
                var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                log.Add(new FakeForgeCall(
                    forge,
                    context.Request.Method,
                    context.Request.Path + context.Request.QueryString,
                    FakeForgeHttp.BodyText(context),
                    headers,
                    received,
                    context.Response.StatusCode));
            }
        }

        context.Response.OnStarting(() =>
        {
            Record();
            return Task.CompletedTask;
        });
        try
        {
            if (TakeFault() is { } fault)
            {
                foreach (var (name, value) in fault.Headers)
                {
                    context.Response.Headers[name] = value;
                }

                await FakeForgeHttp.Message(fault.Status, fault.Message ?? $"Injected failure {fault.Status}").ExecuteAsync(context);
            }
            else if (Unauthorized(context, forge) is { } refusal)
            {
                await refusal.ExecuteAsync(context);
            }
            else
            {
                await next(context);
            }
        }
        finally
        {
            Record();
        }
    }

    private static TaskCompletionSource CompletedGate()
    {
        var open = new TaskCompletionSource();
        open.SetResult();
        return open;
    }

    private FakeFault? TakeFault()
    {
        lock (gate)
        {
            return faults.TryDequeue(out var fault) ? fault : null;
        }
    }

    private IResult? Unauthorized(HttpContext context, Forge forge)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        string? token = forge switch
        {
            // GitHub takes "Bearer <token>" and the older "token <token>".
            Forge.GitHub => Scheme(authorization, "Bearer") ?? Scheme(authorization, "token"),
            // Gitee takes access_token as a query parameter or in the (JSON or form) body.
            Forge.Gitee => request.Query["access_token"].FirstOrDefault()
                ?? FakeForgeHttp.String(FakeForgeHttp.BodyJson(context), "access_token")
                ?? (request.HasFormContentType ? QueryHelpers.ParseQuery(FakeForgeHttp.BodyText(context)).GetValueOrDefault("access_token").FirstOrDefault() : null),
            // GitLab takes a PRIVATE-TOKEN header or an OAuth bearer token.
            _ => request.Headers["PRIVATE-TOKEN"].FirstOrDefault() ?? Scheme(authorization, "Bearer"),
        };
        if (token == state.Token)
        {
            return null;
        }

        return forge switch
        {
            Forge.GitHub => FakeForgeHttp.Message(401, token is null ? "Requires authentication" : "Bad credentials"),
            Forge.Gitee => FakeForgeHttp.Message(401, "401 Unauthorized: Access token does not exist"),
            _ => FakeForgeHttp.Message(401, "401 Unauthorized"),
        };
    }

    private static string? Scheme(string authorization, string scheme) =>
        authorization.StartsWith(scheme + " ", StringComparison.OrdinalIgnoreCase) ? authorization[(scheme.Length + 1)..].Trim() : null;

    private sealed record FakeFault(int Status, IReadOnlyDictionary<string, string> Headers, string? Message);
}
