namespace Forgeline.Signing.OpenPgp;

/// <summary>
/// A signature a client prepared for the signer: the signer validates <paramref name="HashedArea"/> and signs <paramref name="Digest"/>
/// without seeing the data.
/// </summary>
/// <param name="SignatureType">The OpenPGP signature type; the signer accepts only 0x00 (binary document).</param>
/// <param name="Hash">The digest algorithm.</param>
/// <param name="HashedArea">
/// The v4 signature fields hashed after the data: version, signature type, public-key algorithm, hash algorithm, the two-byte
/// hashed-subpacket length and the hashed subpackets. It does NOT include the final 0x04 0xFF and four-byte length trailer.
/// </param>
/// <param name="Digest">Hash(data || HashedArea || 0x04 0xFF || big-endian 32-bit length of HashedArea).</param>
public sealed record OpenPgpPreparedSignature(byte SignatureType, OpenPgpHashAlgorithm Hash, byte[] HashedArea, byte[] Digest);
