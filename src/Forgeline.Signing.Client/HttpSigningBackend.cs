using System.Net;
using Forgeline.Core;
using Forgeline.Core.Client;
using Forgeline.Core.Signing;

namespace Forgeline.Signing.Client;

/// <summary>
/// <see cref="ISigningBackend"/> over HTTP: a Forgeline signer (<c>forgeline server --targets signer</c>) holds the keys and the
/// master key; this side only sends what must be signed. The signer's refusals and an unreachable signer come back as
/// failures with the signer's own message, never as half an answer.
/// </summary>
/// <remarks>With <paramref name="timeout"/>, a call the signer does not answer in time fails as unavailable (a server's
/// coordinator must not wait for ever; the CLI gives none and waits).</remarks>
public sealed class HttpSigningBackend(ForgelineClient client, string description, TimeSpan? timeout = null) : ISigningBackend
{
    /// <inheritdoc />
    public string Description => description;

    /// <inheritdoc />
    public Task<ServiceResult<KeyDto>> GetKeyAsync(string name, CancellationToken cancellationToken) =>
        CallAsync(ct => client.GetKeyAsync(name, ct), cancellationToken);

    /// <inheritdoc />
    public Task<ServiceResult<KeyDto>> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken) =>
        CallAsync(ct => client.CreateKeyAsync(request, ct), cancellationToken);

    /// <inheritdoc />
    /// <remarks>The remote signer records the name of the token this side uses, not <paramref name="signer"/>.</remarks>
    public async Task<ServiceResult<SignResponse>> SignAsync(string keyName, string signer, SignRequest request, CancellationToken cancellationToken)
    {
        var answer = await CallAsync(ct => client.SignAsync(keyName, request, ct), cancellationToken);
        return answer.IsSuccess && answer.Value!.Signatures.Count != request.Items.Count
            ? ServiceResult<SignResponse>.Fail(ServiceError.Unavailable, $"{description} answered {answer.Value.Signatures.Count} signature(s) for {request.Items.Count} item(s)")
            : answer;
    }

    private async Task<ServiceResult<T>> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t)
        {
            limit.CancelAfter(t);
        }

        try
        {
            return await call(limit.Token);
        }
        catch (ForgelineApiException e)
        {
            return ServiceResult<T>.Fail(ErrorOf(e.Status), e.Message);
        }
        catch (HttpRequestException e)
        {
            return ServiceResult<T>.Fail(ServiceError.Unavailable, $"cannot reach {description}: {e.Message}");
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return ServiceResult<T>.Fail(ServiceError.Unavailable, $"{description} did not answer within {timeout!.Value.TotalSeconds:0} s");
        }
    }

    private static ServiceError ErrorOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => ServiceError.NotFound,
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => ServiceError.Invalid,
        HttpStatusCode.Conflict => ServiceError.Conflict,
        HttpStatusCode.RequestEntityTooLarge => ServiceError.TooLarge,
        HttpStatusCode.Forbidden => ServiceError.Forbidden,
        HttpStatusCode.Unauthorized => ServiceError.Unauthorized,
        _ => ServiceError.Unavailable,
    };
}
