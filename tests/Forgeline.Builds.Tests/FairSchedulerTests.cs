using Forgeline.Builds.Scheduling;
using Forgeline.Core.Builds;

namespace Forgeline.Builds.Tests;

/// <summary>The scheduling rules as pure functions of the queue: fairness across owners, priority within one, aging, matching.</summary>
public sealed class FairSchedulerTests
{
    private static readonly DateTime T0 = new(2026, 11, 22, 8, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Aging = TimeSpan.FromMinutes(10);
    private static readonly WorkerOffer X86 = new("x86_64", new HashSet<string>());
    private long nextId = 1;

    [Fact]
    public void One_build_of_a_second_user_gets_the_next_free_slot_ahead_of_a_mass_rebuild()
    {
        var state = new QueueState();
        for (var i = 0; i < 500; i++)
        {
            state.Add(Build("mass-rebuilder", BuildPriority.High));
        }

        // Both slots took the first two of the mass rebuild; then the user submits one build.
        Start(state, X86);
        Start(state, X86);
        var mine = Build("alice");
        state.Add(mine);

        FairScheduler.Pick(state, X86, T0, Aging)!.ShouldBe(mine);
    }

    [Fact]
    public void Owners_with_nothing_running_are_served_in_turn()
    {
        var state = new QueueState();
        foreach (var owner in new[] { "a", "a", "a", "b", "b", "b", "c", "c", "c" })
        {
            state.Add(Build(owner));
        }

        var order = Enumerable.Range(0, 9).Select(_ => Start(state, X86).Owner).ToList();
        order.ShouldBe(["a", "b", "c", "a", "b", "c", "a", "b", "c"]);
    }

    [Fact]
    public void Weights_give_backlogged_owners_proportional_shares()
    {
        var state = new QueueState();
        state.SetWeight("big", 3);
        for (var i = 0; i < 100; i++)
        {
            state.Add(Build("big"));
            state.Add(Build("small"));
        }

        // Four slots, each build takes one tick: play 200 starts with completions in between.
        var started = Simulate(state, slots: 4, starts: 80);
        started.Count(o => o == "big").ShouldBe(60);
        started.Count(o => o == "small").ShouldBe(20);
    }

    [Fact]
    public void A_heavy_owner_cannot_starve_the_others()
    {
        var state = new QueueState();
        for (var i = 0; i < 1000; i++)
        {
            state.Add(Build("heavy"));
        }

        for (var i = 0; i < 10; i++)
        {
            state.Add(Build("b"));
            state.Add(Build("c"));
        }

        var started = Simulate(state, slots: 2, starts: 30);
        started.Count(o => o == "b").ShouldBe(10);
        started.Count(o => o == "c").ShouldBe(10);
    }

    [Fact]
    public void Within_an_owner_priority_comes_first_then_age()
    {
        var state = new QueueState();
        var low = Build("a", BuildPriority.Low);
        var normal1 = Build("a");
        var high = Build("a", BuildPriority.High);
        var normal2 = Build("a");
        foreach (var b in new[] { low, normal1, high, normal2 })
        {
            state.Add(b);
        }

        Enumerable.Range(0, 4).Select(_ => Start(state, X86).Id).ShouldBe([high.Id, normal1.Id, normal2.Id, low.Id]);
    }

    [Fact]
    public void A_low_priority_build_still_starts_while_high_priority_ones_keep_coming()
    {
        var state = new QueueState();
        var low = Build("a", BuildPriority.Low, submittedAt: T0);
        state.Add(low);
        var now = T0;
        var startedLow = false;
        for (var minute = 0; minute < 60 && !startedLow; minute++)
        {
            now = T0.AddMinutes(minute);
            state.Add(Build("a", BuildPriority.High, submittedAt: now));
            var next = FairScheduler.Pick(state, X86, now, Aging)!;
            state.Remove(next.Id);
            startedLow = next.Id == low.Id;
        }

        startedLow.ShouldBeTrue();
        (now - T0).ShouldBeLessThanOrEqualTo(2 * Aging, "two aging steps lift low to high, and it is older than every new high build");
        FairScheduler.EffectiveLevel(low, T0.AddMinutes(9), Aging).ShouldBe(2);
        FairScheduler.EffectiveLevel(low, T0.AddMinutes(10), Aging).ShouldBe(1);
    }

    [Fact]
    public void Nothing_is_handed_to_a_worker_of_another_arch_or_without_the_labels_a_build_needs()
    {
        var state = new QueueState();
        var arm = Build("a", arch: "aarch64");
        var kvm = Build("b", labels: "kvm");
        var kvmBig = Build("c", labels: "big,kvm");
        foreach (var b in new[] { arm, kvm, kvmBig })
        {
            state.Add(b);
        }

        FairScheduler.Pick(state, X86, T0, Aging).ShouldBeNull();
        FairScheduler.Candidates(state, Offer("x86_64", "kvm"), T0, Aging, 10).Select(b => b.Id).ShouldBe([kvm.Id]);
        FairScheduler.Candidates(state, Offer("x86_64", "kvm", "big", "ssd"), T0, Aging, 10).Select(b => b.Id).ShouldBe([kvm.Id, kvmBig.Id]);
        FairScheduler.Pick(state, Offer("aarch64", "kvm"), T0, Aging).ShouldBe(arm, "a build without labels runs on any worker of its arch");
    }

    [Fact]
    public void A_build_waiting_out_its_retry_backoff_is_not_handed_out_before_its_time()
    {
        var state = new QueueState();
        var retried = Build("a", notBefore: T0.AddSeconds(30));
        state.Add(retried);

        FairScheduler.Pick(state, X86, T0.AddSeconds(29), Aging).ShouldBeNull();
        FairScheduler.Pick(state, X86, T0.AddSeconds(30), Aging).ShouldBe(retried);
        state.Remove(retried.Id).ShouldBeTrue();
        state.Count.ShouldBe(0);
    }

    [Fact]
    public void The_plan_is_the_order_the_scheduler_would_start_the_builds_in()
    {
        var state = new QueueState();
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            // Submitted over the last 40 minutes, so some have aged one or more levels.
            state.Add(Build($"owner-{random.Next(12)}", (BuildPriority)random.Next(3), submittedAt: T0.AddMinutes(-40 + (i * 40.0 / 300))));
        }

        state.SetWeight("owner-3", 4);
        state.Started("owner-5");
        state.Started("owner-5");
        var plan = FairScheduler.Plan(state, T0, Aging).Select(b => b.Id).ToList();

        var picked = new List<long>();
        while (state.Count > 0)
        {
            picked.Add(Start(state, X86).Id);
        }

        plan.ShouldBe(picked);
    }

    [Fact]
    public void Candidates_give_one_build_per_owner_in_fair_order_as_fallbacks()
    {
        var state = new QueueState();
        state.Add(Build("a"));
        state.Add(Build("a"));
        state.Add(Build("b"));
        state.Started("a");

        FairScheduler.Candidates(state, X86, T0, Aging, 5).Select(b => b.Owner).ShouldBe(["b", "a"]);
    }

    [Fact]
    public void Candidates_are_every_owner_with_a_build_the_worker_can_run_in_fair_order_and_fewer_are_the_first_of_them()
    {
        // Many owners with different running counts, weights and turns, some with only builds this worker cannot run.
        var random = new Random(20261122);
        var state = new QueueState();
        for (var o = 0; o < 300; o++)
        {
            var owner = $"owner-{random.Next(1000):D3}-{o}";
            for (var b = random.Next(1, 5); b > 0; b--)
            {
                state.Add(Build(owner, (BuildPriority)random.Next(3), random.Next(6) == 0 ? "aarch64" : "x86_64", random.Next(5) == 0 ? "kvm" : ""));
            }

            state.SetWeight(owner, random.Next(1, 4));
            for (var r = random.Next(4); r > 0; r--)
            {
                state.Started(owner);
            }
        }

        var all = FairScheduler.Candidates(state, X86, T0, Aging, int.MaxValue);

        var servable = state.Owners.Where(o => o.Lanes.Any(l => l.Arch == "x86_64" && l.Labels.Length == 0)).ToList();
        var expected = servable.OrderBy(o => (double)o.Running / o.Weight).ThenBy(o => o.LastServed).ThenBy(o => o.Name, StringComparer.Ordinal).Select(o => o.Name);
        all.Select(b => b.Owner).ShouldBe(expected);
        all.ShouldAllBe(b => b.Arch == "x86_64" && b.Labels == "");
        foreach (var count in new[] { 1, 2, 4, 10, 50 })
        {
            FairScheduler.Candidates(state, X86, T0, Aging, count).ShouldBe(all.Take(count), $"count {count}");
        }
    }

    [Fact]
    public void Plain_fifo_the_baseline_serves_the_oldest_build_whoever_owns_it()
    {
        var state = new QueueState();
        for (var i = 0; i < 50; i++)
        {
            state.Add(Build("mass"));
        }

        var mine = Build("alice", BuildPriority.High);
        state.Add(mine);
        state.Started("mass");

        FairScheduler.FifoCandidates(state, X86, T0).Single().Id.ShouldBe(1);
        FairScheduler.Pick(state, X86, T0, Aging).ShouldBe(mine);
    }

    private QueuedBuild Build(string owner, BuildPriority priority = BuildPriority.Normal, string arch = "x86_64", string labels = "", DateTime? submittedAt = null, DateTime? notBefore = null) =>
        new(nextId++, owner, priority, arch, labels, submittedAt ?? T0, notBefore);

    private static WorkerOffer Offer(string arch, params string[] labels) => new(arch, labels.ToHashSet());

    private static QueuedBuild Start(QueueState state, WorkerOffer worker)
    {
        var next = FairScheduler.Pick(state, worker, T0, Aging)!;
        state.Remove(next.Id);
        state.Started(next.Owner);
        return next;
    }

    // Slots that each run one build per tick: every tick the running builds end and the slots are filled again.
    private static List<string> Simulate(QueueState state, int slots, int starts)
    {
        var started = new List<string>();
        var running = new List<string>();
        while (started.Count < starts)
        {
            foreach (var owner in running)
            {
                state.Ended(owner);
            }

            running.Clear();
            for (var slot = 0; slot < slots && started.Count < starts; slot++)
            {
                var next = Start(state, X86);
                running.Add(next.Owner);
                started.Add(next.Owner);
            }
        }

        return started;
    }
}
