namespace Forgeline.MessageCenter.Webhooks;

/// <summary>A webhook's host resolved only to addresses webhooks may not reach (see <see cref="WebhookTargets"/>).</summary>
public sealed class WebhookTargetRefusedException(string message) : IOException(message);
