namespace Forgeline.Core;

/// <summary>Why a request could not be served: the expected failures the API turns into ProblemDetails.</summary>
public enum ServiceError
{
    /// <summary>The thing named does not exist.</summary>
    NotFound,

    /// <summary>The input is wrong; the message says how.</summary>
    Invalid,

    /// <summary>The thing exists but is in a state that does not allow this.</summary>
    Conflict,

    /// <summary>The upload is larger than allowed.</summary>
    TooLarge,

    /// <summary>The caller is known but not allowed to do this.</summary>
    Forbidden,

    /// <summary>The request did not prove who sent it (a webhook without a valid signature).</summary>
    Unauthorized,

    /// <summary>The part of Forgeline that would do it is not running or not configured.</summary>
    Unavailable,

    /// <summary>The caller already uses as much as one may (e.g. playground sessions per user).</summary>
    TooMany,
}

/// <summary>A value or an expected failure with a message for the user.</summary>
public readonly record struct ServiceResult<T>(T? Value, ServiceError? Error, string? Message)
{
    /// <summary>Whether this holds a value.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>A success.</summary>
    public static implicit operator ServiceResult<T>(T value) => new(value, null, null);

    /// <summary>A failure.</summary>
    public static ServiceResult<T> Fail(ServiceError error, string message) => new(default, error, message);
}
