namespace Forgeline.Signing.Client;

/// <summary>
/// One RPM for <see cref="FileSigner.SignRpmsAsync(IReadOnlyList{RpmToSign}, IProgress{int}?, CancellationToken)"/>: its name
/// in the audit trail, how to open it (it is opened twice: once for the header that is signed, once to assemble the signed
/// package), and where the signed package goes (<see cref="Write"/> is given the writer of the signed bytes).
/// </summary>
public sealed record RpmToSign(string Name, Func<Stream> Open, Func<Action<Stream>, CancellationToken, ValueTask> Write);
