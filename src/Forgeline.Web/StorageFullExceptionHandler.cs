using Forgeline.Data.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Forgeline.Web;

/// <summary>
/// Answers a write that ran out of space with 507 Insufficient Storage naming the store (never its path), instead of a
/// bare 500; the client can tell "try again later" from a bug, and the operator's log has the file.
/// </summary>
public sealed partial class StorageFullExceptionHandler(StorageHealth storage, ILogger<StorageFullExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (StorageFailure.Find(exception) is not { } full)
        {
            return false;
        }

        storage.NoteFault();
        var store = full.Kind == StorageFailure.Kind.Database ? "database" : storage.StoreOf(full.Message);
        LogFull(store, httpContext.Request.Method, httpContext.Request.Path, full.Message);
        await Results.Problem(
            title: "Insufficient storage",
            detail: $"The server's {store} is full, so the request could not be completed. Try again once an operator has freed space (/readyz says when).",
            statusCode: StatusCodes.Status507InsufficientStorage).ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Store} is full: {Method} {Path} failed: {Reason}")]
    private partial void LogFull(string store, string method, string path, string reason);
}
