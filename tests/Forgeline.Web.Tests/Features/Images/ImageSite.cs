using System.Net.Http.Headers;
using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Images;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Server;
using Forgeline.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Web.Tests.Features.Images;

/// <summary>
/// The API target of <c>forgeline server</c> as <see cref="ServerHost"/> composes it, in this process on loopback, with
/// a fresh SQLite database; image CI rows are seeded straight into its tables. One per test class.
/// </summary>
public sealed class ImageSite : IAsyncLifetime
{
    private readonly TempDirectory root = new("forgeline-image-pages");
    private WebApplication app = null!;

    /// <summary>An anonymous visitor.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>The admin token's holder: sees private projects.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The pages live in Forgeline.Web: named as the application, MVC finds them though the entry assembly is the test host.
        string[] args = ["--applicationName", "Forgeline.Web", "--FORGELINE_DATABASE", "sqlite://" + root["forgeline.db"], "--Logging:LogLevel:Default", "Warning"];
        app = ServerHost.Build(args, new ForgelinePaths(root["data"]), "http://127.0.0.1:0", ServerTargets.Api, LogFormat.Text, targetsChosen: true);
        var admin = await ServerHost.PrepareAsync(app, CancellationToken.None);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Anonymous = new HttpClient { BaseAddress = address };
        Admin = new HttpClient { BaseAddress = address };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);
    }

    public async Task DisposeAsync()
    {
        Anonymous.Dispose();
        Admin.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        root.Dispose();
    }

    /// <summary>A project with a test plan; private when <paramref name="isPublic"/> is false.</summary>
    public Task<ImagePlanRecord> PlanAsync(string project, string plan, bool isPublic = true)
    {
        var record = new ImagePlanRecord
        {
            Project = project, Name = plan, Yaml = "jobs: []\n", NextRunAt = DateTime.UtcNow.AddDays(1), TriggerTokenSha256 = new string('0', 64),
            UpdatedBy = "alice", UpdatedAt = DateTime.UtcNow,
        };
        return SeedThenAsync(db =>
        {
            db.Projects.Add(new ProjectRecord { Name = project, Owner = "alice", SigningKey = project + "-key", IsPublic = isPublic, CreatedAt = DateTime.UtcNow });
            db.ImagePlans.Add(record);
            return Task.CompletedTask;
        }, record);
    }

    /// <summary>A run of <paramref name="plan"/> created at <paramref name="at"/>, with its jobs in plan order.</summary>
    public Task<ImageRunRecord> RunAsync(ImagePlanRecord plan, string state, DateTime at, double minutes, long? imageBuildId = null, params ImageRunJobRecord[] jobs)
    {
        var run = new ImageRunRecord
        {
            Project = plan.Project, Plan = plan.Name, Yaml = plan.Yaml, Trigger = "schedule", RequestedBy = "schedule", State = state, ImageBuildId = imageBuildId,
            CreatedAt = at, FinishedAt = state is "passed" or "failed" ? at.AddMinutes(minutes) : null,
        };
        return SeedThenAsync(async db =>
        {
            db.ImageRuns.Add(run);
            await db.SaveChangesAsync();
            for (var i = 0; i < jobs.Length; i++)
            {
                jobs[i].RunId = run.Id;
                jobs[i].Position = i;
                db.ImageRunJobs.Add(jobs[i]);
            }
        }, run);
    }

    /// <summary>An image build of <paramref name="project"/> that made <paramref name="files"/>.</summary>
    public Task<ImageBuildRecord> ImageBuildAsync(string project, string state, long? buildId, params ImageFileOutput[] files)
    {
        var build = new ImageBuildRecord
        {
            Project = project, Image = "tiny", Yaml = "name: tiny\n", BuildId = buildId, State = state, RequestedBy = "alice",
            Files = files.Length > 0 ? JsonSerializer.Serialize(files.ToList(), ForgelineJson.Options) : null,
            CreatedAt = DateTime.UtcNow.AddMinutes(-10), FinishedAt = DateTime.UtcNow,
        };
        return SeedThenAsync(db =>
        {
            db.ImageBuilds.Add(build);
            return Task.CompletedTask;
        }, build);
    }

    /// <summary>Runs <paramref name="seed"/> on the server's database, saves, and answers <paramref name="value"/> (its ids set).</summary>
    private async Task<T> SeedThenAsync<T>(Func<ForgelineDbContext, Task> seed, T value)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        await seed(db);
        await db.SaveChangesAsync();
        return value;
    }
}
