using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HcmCity.Permits.EPermits;

/// <summary>
/// An ECDSA P-256 key of the permit register, named by its RFC 7638 JWK thumbprint (the JWS <c>kid</c>), so the
/// same key has the same id wherever it is loaded. Holds a private key on the platform, a public one elsewhere.
/// </summary>
public sealed class PermitKey
{
    private static readonly string P256Oid = ECCurve.NamedCurves.nistP256.Oid.Value!;

    private readonly ECDsa _ecdsa;

    private PermitKey(ECDsa ecdsa, bool hasPrivateKey)
    {
        var parameters = ecdsa.ExportParameters(false);
        if (parameters.Curve.Oid.Value != P256Oid && parameters.Curve.Oid.FriendlyName is not ("nistP256" or "ECDSA_P256"))
        {
            throw new PermitKeyException("The key is not on curve P-256 (ES256 needs ECDSA P-256).");
        }
        _ecdsa = ecdsa;
        HasPrivateKey = hasPrivateKey;
        X = Base64Url.EncodeToString(parameters.Q.X!);
        Y = Base64Url.EncodeToString(parameters.Q.Y!);
        // RFC 7638 §3.2: required members only, lexicographic order, no whitespace.
        var thumbprintInput = $$"""{"crv":"P-256","kty":"EC","x":"{{X}}","y":"{{Y}}"}""";
        KeyId = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(thumbprintInput)));
    }

    public string KeyId { get; }

    public bool HasPrivateKey { get; }

    /// <summary>Base64url of the public point's coordinates (JWK x, y).</summary>
    public string X { get; }

    public string Y { get; }

    public static PermitKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), hasPrivateKey: true);

    /// <summary>A key from PEM: PKCS#8 "PRIVATE KEY", SEC1 "EC PRIVATE KEY" or SubjectPublicKeyInfo "PUBLIC KEY".</summary>
    public static PermitKey FromPem(string pem)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            throw new PermitKeyException($"Not an EC key in PEM: {e.Message}");
        }
        var hasPrivate = pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal);
        return new PermitKey(ecdsa, hasPrivate);
    }

    public static PermitKey FromJwk(Jwk jwk)
    {
        if (jwk.Kty != "EC" || jwk.Crv != "P-256")
        {
            throw new PermitKeyException($"Key {jwk.Kid}: expected kty EC and crv P-256.");
        }
        byte[] x, y;
        try
        {
            x = Base64Url.DecodeFromChars(jwk.X);
            y = Base64Url.DecodeFromChars(jwk.Y);
        }
        catch (FormatException)
        {
            throw new PermitKeyException($"Key {jwk.Kid}: x and y must be base64url.");
        }
        if (x.Length != 32 || y.Length != 32)
        {
            throw new PermitKeyException($"Key {jwk.Kid}: x and y must be 32 bytes each.");
        }
        try
        {
            var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
            return new PermitKey(ecdsa, hasPrivateKey: false);
        }
        catch (CryptographicException e)
        {
            throw new PermitKeyException($"Key {jwk.Kid}: not a point on P-256 ({e.Message}).");
        }
    }

    /// <summary>ES256 signature: IEEE P1363 r‖s, 64 bytes, as RFC 7518 §3.4 requires.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        if (!HasPrivateKey)
        {
            throw new InvalidOperationException($"Key {KeyId} is a public key; it can only verify.");
        }
        return _ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 &&
        _ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public string ExportPrivateKeyPem() => HasPrivateKey
        ? _ecdsa.ExportPkcs8PrivateKeyPem()
        : throw new InvalidOperationException($"Key {KeyId} is a public key.");

    public string ExportPublicKeyPem() => _ecdsa.ExportSubjectPublicKeyInfoPem();

    public Jwk ToJwk() => new("EC", "P-256", X, Y, KeyId, "sig", PermitJws.Algorithm);
}

/// <summary>The public keys an agency trusts for permits, by kid: the current signing key and earlier ones.</summary>
public sealed class PermitKeySet
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly Dictionary<string, PermitKey> _byId;

    public PermitKeySet(IEnumerable<PermitKey> keys)
    {
        Keys = [.. keys.DistinctBy(k => k.KeyId)];
        _byId = Keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
    }

    public IReadOnlyList<PermitKey> Keys { get; }

    public PermitKey? Find(string keyId) => _byId.GetValueOrDefault(keyId);

    /// <summary>RFC 7517 JWK Set of the public keys only.</summary>
    public JwkSet ToJwks() => new([.. Keys.Select(k => k.ToJwk())]);

    public string ToJwksJson() => JsonSerializer.Serialize(ToJwks(), Json);

    /// <summary>Keys from a JWK Set (JSON) or from one or more PEM blocks.</summary>
    public static PermitKeySet Parse(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            JwkSet? set;
            try
            {
                set = JsonSerializer.Deserialize<JwkSet>(trimmed);
            }
            catch (JsonException e)
            {
                throw new PermitKeyException($"Not a JWK Set: {e.Message}");
            }
            if (set?.Keys is not { Count: > 0 } keys)
            {
                throw new PermitKeyException("The JWK Set has no keys.");
            }
            return new PermitKeySet(keys.Select(PermitKey.FromJwk));
        }
        var blocks = PemBlocks(trimmed).ToList();
        return blocks.Count > 0
            ? new PermitKeySet(blocks.Select(PermitKey.FromPem))
            : throw new PermitKeyException("Expected a JWK Set (JSON) or a PEM public key.");
    }

    private static IEnumerable<string> PemBlocks(string text)
    {
        var start = text.IndexOf("-----BEGIN ", StringComparison.Ordinal);
        while (start >= 0)
        {
            var endMarker = text.IndexOf("-----END ", start, StringComparison.Ordinal);
            if (endMarker < 0)
            {
                yield break;
            }
            var end = text.IndexOf("-----", endMarker + 9, StringComparison.Ordinal);
            if (end < 0)
            {
                yield break;
            }
            yield return text[start..(end + 5)];
            start = text.IndexOf("-----BEGIN ", end + 5, StringComparison.Ordinal);
        }
    }
}

/// <summary>RFC 7517 JSON Web Key, EC public key members only.</summary>
public sealed record Jwk(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("crv")] string Crv,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("use")] string? Use,
    [property: JsonPropertyName("alg")] string? Alg);

public sealed record JwkSet([property: JsonPropertyName("keys")] IReadOnlyList<Jwk> Keys);

/// <summary>A key that cannot be used: wrong format, wrong curve, not a point on the curve.</summary>
public sealed class PermitKeyException(string message) : Exception(message);
