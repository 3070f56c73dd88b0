using Forgeline.Core.Workers;

namespace Forgeline.Worker.Tests;

/// <summary>Which failures are the package's (the build fails) and which are not (the server retries it).</summary>
public sealed class JobFailureTests
{
    [Fact]
    public void A_package_failure_is_failed_and_a_worker_problem_is_an_error()
    {
        JobFailure.Classify(new JobFailedException("rpmbuild failed with exit code 1")).ShouldBe((JobOutcome.Failed, "rpmbuild failed with exit code 1", false));
        JobFailure.Classify(new JobErrorException("could not download the sources")).ShouldBe((JobOutcome.Error, "could not download the sources", false));
    }

    [Fact]
    public void An_unexpected_exception_is_an_error_marked_unexpected()
    {
        JobFailure.Classify(new InvalidOperationException("bug")).ShouldBe((JobOutcome.Error, "worker error: bug", true));
    }

    [Fact]
    public async Task A_real_write_to_a_full_device_is_an_out_of_space_error()
    {
        // /dev/full answers every write with ENOSPC, as a full disk does.
        var full = await Should.ThrowAsync<IOException>(async () =>
        {
            await using var device = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            await device.WriteAsync(new byte[4096]);
        });

        JobFailure.IsOutOfSpace(full).ShouldBeTrue(full.ToString());
        JobFailure.IsOutOfSpace(new HttpRequestException("copying", full)).ShouldBeTrue();
        JobFailure.IsOutOfSpace(new IOException("some other I/O problem")).ShouldBeFalse();
        var (outcome, reason, unexpected) = JobFailure.Classify(full);
        outcome.ShouldBe(JobOutcome.Error);
        reason.ShouldStartWith("the worker ran out of disk space: ");
        unexpected.ShouldBeFalse();
    }

    [Theory]
    [InlineData("fatal: unable to access 'https://forge.example/pkg.git/': Could not resolve host: forge.example")]
    [InlineData("fatal: unable to access 'http://127.0.0.1:1/pkg.git/': Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server")]
    [InlineData("fatal: unable to connect to 127.0.0.1:\n127.0.0.1[0: 127.0.0.1]: errno=Connection refused")]
    [InlineData("error: RPC failed; curl 56 GnuTLS recv error (-9): Error decoding the received TLS packet.\nfatal: early EOF")]
    [InlineData("fatal: unable to access 'https://forge.example/pkg.git/': The requested URL returned error: 503")]
    public void Git_output_of_a_network_failure_is_recognised(string output)
    {
        GitNetworkFailure.Find("Cloning into '/build/src'...\n" + output).ShouldNotBeNull().ShouldStartWith("network failure (");
    }

    [Theory]
    [InlineData("fatal: repository 'https://forge.example/nope.git/' not found")]
    [InlineData("fatal: transport 'file' not allowed")]
    [InlineData("fatal: unable to access 'https://forge.example/private.git/': The requested URL returned error: 403")]
    [InlineData("fatal: remote error: access denied or repository not exported: /nope.git")]
    public void Git_output_of_a_wrong_url_or_refused_access_is_not_a_network_failure(string output)
    {
        GitNetworkFailure.Find(output).ShouldBeNull();
    }
}
