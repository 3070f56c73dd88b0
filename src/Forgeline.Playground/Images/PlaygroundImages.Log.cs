using Microsoft.Extensions.Logging;

namespace Forgeline.Playground.Images;

public sealed partial class PlaygroundImages
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Building playground image {ImageDigest}")]
    private partial void LogBuilding(string imageDigest);

    [LoggerMessage(Level = LogLevel.Information, Message = "Built playground image {ImageDigest} in {Seconds:0.0}s")]
    private partial void LogBuilt(string imageDigest, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Playground image {ImageDigest} could not be built: {Reason}")]
    private partial void LogFailed(string imageDigest, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Partial}, left by an image build that did not finish")]
    private partial void LogRemovedPartial(string partial);
}
