using System.Net;
using Forgeline.Core.Client;

namespace Forgeline.Worker.Tests;

/// <summary>Which failures of a call to the server the worker tries again: those the server may get over, and no others.</summary>
public sealed class ServerRetryTests
{
    [Theory]
    [InlineData(HttpStatusCode.InsufficientStorage, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Conflict, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    public void An_answer_is_tried_again_only_when_the_server_may_get_over_it(HttpStatusCode status, bool transient) =>
        ServerRetry.IsTransient(new ForgelineApiException(status, "title", null)).ShouldBe(transient);

    [Fact]
    public void No_answer_or_a_cut_answer_is_tried_again_but_a_local_file_error_or_a_cancel_is_not()
    {
        ServerRetry.IsTransient(new HttpRequestException("connection refused")).ShouldBeTrue();
        ServerRetry.IsTransient(new HttpIOException(HttpRequestError.ResponseEnded)).ShouldBeTrue();
        ServerRetry.IsTransient(new TaskCanceledException("timeout", new TimeoutException())).ShouldBeTrue();
        ServerRetry.IsTransient(new FileNotFoundException("gone", "hello-1.0-1.noarch.rpm")).ShouldBeFalse();
        ServerRetry.IsTransient(new TaskCanceledException()).ShouldBeFalse();
    }
}
