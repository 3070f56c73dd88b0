using System.Buffers.Binary;
using System.Diagnostics;

namespace Forgeline.Rpm.Tests;

/// <summary>Seeded random corruption of real packages: reading must either succeed or throw <see cref="RpmFormatException"/>.</summary>
[Collection(BuiltPackagesCollection.Name)]
public sealed class CorruptionFuzzTests(BuiltPackages packages)
{
    private static readonly int[] InterestingValues = [0, 1, -1, 7, 16, 255, 4096, 65535, 65536, int.MaxValue, int.MinValue];

    [Theory]
    [InlineData("epoch-binary", 1)]
    [InlineData("plain-source", 2)]
    public void RandomCorruptionOnlyEverRaisesRpmFormatException(string key, int seed)
    {
        byte[] original = File.ReadAllBytes(packages.PathOf(key));
        RpmPackage package = packages.Read(key);
        int metadataEnd = (int)package.PayloadOffset;
        var random = new Random(seed);
        var stopwatch = Stopwatch.StartNew();
        int failures = 0;

        for (int iteration = 0; iteration < 3000; iteration++)
        {
            byte[] bytes = original[..(metadataEnd + 32)];
            switch (random.Next(4))
            {
                case 0:
                    for (int flips = random.Next(1, 5); flips > 0; flips--)
                    {
                        bytes[random.Next(metadataEnd)] ^= (byte)random.Next(1, 256);
                    }

                    break;
                case 1:
                    int slot = random.Next(metadataEnd / 4) * 4;
                    BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(slot), InterestingValues[random.Next(InterestingValues.Length)]);
                    break;
                case 2:
                    int field = PickIndexField(package, random);
                    int current = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(field));
                    BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(field), current + random.Next(-20, 21));
                    break;
                default:
                    bytes = bytes[..random.Next(bytes.Length)];
                    break;
            }

            Exception? error = Record.Exception(() => Exercise(bytes));
            if (error is not null)
            {
                error.ShouldBeOfType<RpmFormatException>($"iteration {iteration}: {error}");
                error.Message.ShouldNotBeNullOrWhiteSpace();
                failures++;
            }
        }

        failures.ShouldBeGreaterThan(100);
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    private static int PickIndexField(RpmPackage package, Random random)
    {
        bool signature = random.Next(2) == 0;
        int start = signature ? RpmLead.Size : (int)package.HeaderOffset;
        RpmHeader header = signature ? package.Signature : package.Header;
        int entries = header.Tags.Count + 1;
        return start + 8 + (random.Next((entries * 4) + 2) * 4);
    }

    private static void Exercise(byte[] bytes)
    {
        RpmPackage package = RpmPackage.Read(new MemoryStream(bytes));
        _ = package.Nevra;
        foreach (RpmHeader header in new[] { package.Signature, package.Header })
        {
            foreach (int tag in header.Tags)
            {
                _ = header.GetTagType(tag) switch
                {
                    RpmTagType.String => header.GetString(tag),
                    RpmTagType.StringArray => header.GetStringArray(tag),
                    RpmTagType.I18nString => header.GetI18nString(tag, "de_DE"),
                    RpmTagType.Int32 => header.GetInt32Array(tag),
                    RpmTagType.Int64 => header.GetInt64Array(tag),
                    RpmTagType.Binary => header.GetBinary(tag),
                    _ => (object?)null,
                };
            }

            RpmHeader.Parse(header.Encode()).Tags.ShouldBe(header.Tags);
        }
    }
}
