using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace HcmCity.Permits.EPermits;

/// <summary>
/// Electronic permits as JWS compact serialization (RFC 7515) signed with ES256 (RFC 7518 §3.4): a format any
/// agency can check with standard tools and only the platform's public key, as Decree 217/2026 Art. 7 expects
/// of electronic records. Pure functions; no I/O.
/// </summary>
public static class PermitJws
{
    public const string Algorithm = "ES256";

    /// <summary>Explicit type, so a permit is never mistaken for another JWT signed elsewhere (RFC 8725 §3.11).</summary>
    public const string MediaType = "permit+jwt";

    /// <summary>Longer input is refused before decoding; a permit with many conditions stays far below.</summary>
    public const int MaxLength = 16 * 1024;

    internal static readonly JsonSerializerOptions Json = new()
    {
        // Vietnamese text as UTF-8, not \u escapes: a shorter payload, so a smaller QR code.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Sign(PermitClaims claims, PermitKey key)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new JwsHeader(Algorithm, key.KeyId, MediaType), Json);
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims, Json);
        var signingInput = $"{Base64Url.EncodeToString(header)}.{Base64Url.EncodeToString(payload)}";
        var signature = key.Sign(Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>Decodes a compact JWS without checking its signature.</summary>
    /// <exception cref="MalformedPermitException">Not a compact ES256 JWS carrying permit claims.</exception>
    public static DecodedPermit Decode(string jws)
    {
        ArgumentNullException.ThrowIfNull(jws);
        jws = jws.Trim();
        if (jws.Length == 0)
        {
            throw new MalformedPermitException("The JWS is empty.");
        }
        if (jws.Length > MaxLength)
        {
            throw new MalformedPermitException($"The JWS is longer than {MaxLength} characters.");
        }
        var parts = jws.Split('.');
        if (parts.Length != 3)
        {
            throw new MalformedPermitException(
                $"A compact JWS has 3 dot-separated parts (header.payload.signature); this has {parts.Length}.");
        }
        var header = DecodeJson<JwsHeader>(parts[0], "header");
        if (header.Alg != Algorithm)
        {
            throw new MalformedPermitException($"The JWS algorithm is '{header.Alg}'; permits are signed with {Algorithm}.");
        }
        if (string.IsNullOrEmpty(header.Kid))
        {
            throw new MalformedPermitException("The JWS header names no key (kid).");
        }
        var claims = DecodeJson<PermitClaims>(parts[1], "payload");
        var signature = DecodeSegment(parts[2], "signature");
        return new DecodedPermit(jws, header.Kid, claims, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature);
    }

    /// <summary>What the signature alone tells: which key, whether it checks, whether the permit has expired at <paramref name="now"/>.</summary>
    public static PermitSignatureCheck Check(string jws, PermitKeySet trusted, DateTimeOffset now)
    {
        var decoded = Decode(jws);
        var key = trusted.Find(decoded.KeyId);
        var signatureValid = key is not null && key.Verify(decoded.SigningInput, decoded.Signature);
        return new PermitSignatureCheck(decoded, key is not null, signatureValid, now >= decoded.Claims.ValidUntil);
    }

    private static T DecodeJson<T>(string segment, string part)
    {
        var bytes = DecodeSegment(segment, part);
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Json)
                ?? throw new MalformedPermitException($"The JWS {part} is null.");
        }
        catch (JsonException e)
        {
            throw new MalformedPermitException($"The JWS {part} is not a permit's JSON: {e.Message}");
        }
    }

    private static byte[] DecodeSegment(string segment, string part)
    {
        try
        {
            return Base64Url.DecodeFromChars(segment);
        }
        catch (FormatException)
        {
            throw new MalformedPermitException($"The JWS {part} is not base64url.");
        }
    }

    private sealed record JwsHeader(
        [property: JsonPropertyName("alg")] string? Alg,
        [property: JsonPropertyName("kid")] string? Kid,
        [property: JsonPropertyName("typ")] string? Typ);
}

/// <summary>A decoded, not yet verified, permit JWS.</summary>
public sealed record DecodedPermit(string Jws, string KeyId, PermitClaims Claims, byte[] SigningInput, byte[] Signature);

/// <param name="KnownKey">The kid names one of the trusted keys.</param>
/// <param name="SignatureValid">The signature checks with that key: header and claims are exactly as signed.</param>
public sealed record PermitSignatureCheck(DecodedPermit Permit, bool KnownKey, bool SignatureValid, bool Expired);

/// <summary>Input that is not a permit JWS at all (as opposed to a well-formed one whose signature fails).</summary>
public sealed class MalformedPermitException(string message) : FormatException(message);
