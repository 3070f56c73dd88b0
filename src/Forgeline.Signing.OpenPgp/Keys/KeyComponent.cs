using Forgeline.Signing.OpenPgp.Packets;

namespace Forgeline.Signing.OpenPgp.Keys;

/// <summary>A packet of a transferable key (primary key, user ID, user attribute or subkey) with the signatures that follow it.</summary>
internal sealed record KeyComponent(OpenPgpPacket Packet, List<OpenPgpPacket> Signatures);
