namespace Forgeline.Bot.Deliveries;

/// <summary>The states of a stored delivery (<c>bot_deliveries.State</c>).</summary>
public static class DeliveryStates
{
    /// <summary>Stored, not processed yet.</summary>
    public const string Pending = "pending";

    /// <summary>Claimed by a processor until <c>ClaimedUntil</c>; taken over by another after that.</summary>
    public const string Processing = "processing";

    /// <summary>Every enabled plugin ran on it (or it was not an event the bot handles).</summary>
    public const string Done = "done";

    /// <summary>It could not be read, or failed too many times.</summary>
    public const string Failed = "failed";

    /// <summary>Its signature or token did not match; kept without its body.</summary>
    public const string Rejected = "rejected";
}
