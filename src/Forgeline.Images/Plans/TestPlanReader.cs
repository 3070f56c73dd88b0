using Cronos;
using Forgeline.Core;

namespace Forgeline.Images.Plans;

/// <summary>Reads a test plan from YAML and checks it; every problem is a <see cref="TestPlanException"/> naming what is wrong.</summary>
public static class TestPlanReader
{
    /// <summary>What may start a plan besides its schedule.</summary>
    public static readonly IReadOnlyList<string> Triggers = ["publication", "bot", "manual"];

    /// <summary>Parses and checks <paramref name="yaml"/>; <paramref name="source"/> names it in messages.</summary>
    public static TestPlan Read(string yaml, string source) =>
        YamlDocument.Read<TestPlan>(yaml, source, "a plan needs a name, an image and jobs", FindProblem, m => new TestPlanException(m));

    /// <summary>The next time the plan's schedule fires after <paramref name="after"/> (UTC).</summary>
    public static DateTime? NextRun(TestPlan plan, DateTime after) => CronExpression.Parse(plan.Schedule).GetNextOccurrence(DateTime.SpecifyKind(after, DateTimeKind.Utc));

    /// <summary>What is wrong with <paramref name="plan"/>, in words, or null.</summary>
    public static string? FindProblem(TestPlan plan)
    {
        if (!ResourceName.IsValid(plan.Name))
        {
            return $"name '{plan.Name}' is not a plan name: {ResourceName.Rule}";
        }

        if (!ResourceName.IsValid(plan.Image))
        {
            return "a plan names the image its jobs boot (image: NAME)";
        }

        try
        {
            _ = CronExpression.Parse(plan.Schedule);
        }
        catch (CronFormatException e)
        {
            return $"schedule '{plan.Schedule}' is not a cron expression (minute hour day month weekday, e.g. \"0 2 * * *\" for 02:00 UTC): {e.Message}";
        }

        if (plan.Triggers.FirstOrDefault(t => !Triggers.Contains(t)) is { } trigger)
        {
            return $"trigger '{trigger}' is not one of {string.Join(", ", Triggers)}";
        }

        if (plan.Jobs.Count == 0)
        {
            return "a plan needs at least one job";
        }

        var published = new HashSet<string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in plan.Jobs)
        {
            if (JobProblem(job, names, published) is { } problem)
            {
                return $"job '{job.Name}': {problem}";
            }
        }

        return null;
    }

    private static string? JobProblem(TestJob job, HashSet<string> names, HashSet<string> published)
    {
        if (!ResourceName.IsValid(job.Name) || job.Name == "image")
        {
            return $"not a job name ({ResourceName.Rule}; 'image' is taken)";
        }

        if (!names.Add(job.Name))
        {
            return "the name is given twice";
        }

        if (job.Boot != "image" && !published.Contains(job.Boot))
        {
            return $"boot '{job.Boot}' is neither 'image' nor an earlier job with publish_disk: true";
        }

        if (job.MemoryMb is < 64 or > 65536 || job.TimeoutSeconds is < 1 or > 86400)
        {
            return "memory_mb is 64–65536 and timeout_seconds 1–86400";
        }

        if (job.Steps.Count == 0)
        {
            return "a job needs steps (wait, type, run, expect_fail, junit)";
        }

        for (var i = 0; i < job.Steps.Count; i++)
        {
            var step = job.Steps[i];
            var actions = new[] { step.Wait, step.Type, step.Run, step.ExpectFail, step.Junit }.Count(a => a is not null);
            if (actions != 1)
            {
                return $"step {i + 1} has {actions} actions; each step is exactly one of wait, type, run, expect_fail, junit";
            }

            if (step.TimeoutSeconds is < 1 or > 86400)
            {
                return $"step {i + 1}: timeout_seconds is 1–86400";
            }
        }

        if (job.PublishDisk)
        {
            published.Add(job.Name);
        }

        return null;
    }
}

/// <summary>A test plan that cannot be used, and why.</summary>
public sealed class TestPlanException(string message) : Exception(message);
