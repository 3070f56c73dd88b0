using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Workers;

namespace Forgeline.Worker.Tests;

/// <summary>The lease's JSON as server and worker exchange it: dependencies are optional both ways.</summary>
public sealed class JobLeaseJsonTests
{
    [Fact]
    public void A_lease_from_a_server_that_knows_no_dependencies_has_none()
    {
        const string before = """
            {"buildId":7,"leaseId":"l","attempt":1,"source":{"kind":"srpm","blob":"ab"},"arch":"x86_64","timeoutSeconds":60,"logLimitBytes":100,"leaseSeconds":30,"macros":null}
            """;

        var lease = JsonSerializer.Deserialize<JobLease>(before, ForgelineJson.Options)!;

        lease.Dependencies.ShouldBeNull();
        lease.BuildId.ShouldBe(7);
    }

    [Fact]
    public void Dependencies_travel_as_file_name_and_sha256()
    {
        var lease = new JobLease(7, "l", 1, new BuildSource(SourceKind.Srpm, Blob: "ab"), "x86_64", 60, 100, 30,
            Dependencies: [new JobDependency("libgreet-devel-1.0-1.x86_64.rpm", new string('c', 64))]);

        var json = JsonSerializer.Serialize(lease, ForgelineJson.Options);
        var back = JsonSerializer.Deserialize<JobLease>(json, ForgelineJson.Options)!;

        json.ShouldContain("\"dependencies\": [");
        json.ShouldContain("\"fileName\": \"libgreet-devel-1.0-1.x86_64.rpm\"");
        back.Dependencies.ShouldBe([new JobDependency("libgreet-devel-1.0-1.x86_64.rpm", new string('c', 64))]);
    }
}
