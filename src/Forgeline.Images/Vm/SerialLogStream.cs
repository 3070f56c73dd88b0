namespace Forgeline.Images.Vm;

/// <summary>The guest's console output as <see cref="SerialConsole"/> reads it, with every byte also written (and flushed) to the job's serial log file as it arrives.</summary>
internal sealed class SerialLogStream(Stream console, Stream log) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await console.ReadAsync(buffer, cancellationToken);
        if (read > 0)
        {
            await log.WriteAsync(buffer[..read], CancellationToken.None);
            await log.FlushAsync(CancellationToken.None);
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
