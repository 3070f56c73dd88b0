using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Forgeline.Meetings.Platforms.Tencent;

/// <summary>
/// The signature of an enterprise self-built app's request, as Tencent Meeting documents it (cloud.tencent.com,
/// document/product/1095/42413, "企业自建应用鉴权"): the HMAC-SHA256, keyed with the SecretKey, of
/// <c>METHOD \n X-TC-Key=…&amp;X-TC-Nonce=…&amp;X-TC-Timestamp=… \n URI (path and query) \n body</c>, written as
/// lower-case hex and then base64-encoded.
/// </summary>
internal static class TencentSignature
{
    public static string Sign(string secretKey, string method, string secretId, string nonce, string timestamp, string pathAndQuery, string body)
    {
        var text = $"{method}\nX-TC-Key={secretId}&X-TC-Nonce={nonce}&X-TC-Timestamp={timestamp}\n{pathAndQuery}\n{body}";
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(text));
        var hex = Convert.ToHexStringLower(hash);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(hex));
    }

    public static string Timestamp(TimeProvider time) =>
        time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public static string Nonce() =>
        RandomNumberGenerator.GetInt32(1, int.MaxValue).ToString(CultureInfo.InvariantCulture);
}
