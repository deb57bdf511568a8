using System.Buffers.Text;
using System.Security.Cryptography;

namespace HcmCity.Audit.Checkpoints;

/// <summary>
/// The key that signs audit checkpoints: ECDSA P-256, read from a setting (a secret), never stored in the database, so
/// the database's owner cannot sign a rewritten chain. Named by the SHA-256 of its public key (base64url).
/// </summary>
public sealed class AuditCheckpointKey
{
    private readonly ECDsa _ecdsa;

    private AuditCheckpointKey(ECDsa ecdsa, bool hasPrivateKey)
    {
        if (ecdsa.KeySize != 256)
        {
            throw new AuditCheckpointKeyException("The key is not ECDSA P-256.");
        }
        _ecdsa = ecdsa;
        HasPrivateKey = hasPrivateKey;
        KeyId = Base64Url.EncodeToString(SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo()));
    }

    public string KeyId { get; }

    public bool HasPrivateKey { get; }

    public static AuditCheckpointKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), hasPrivateKey: true);

    /// <summary>A key from PEM: a private key (PKCS#8 or SEC1), or a public key (SubjectPublicKeyInfo) that only verifies.</summary>
    /// <exception cref="AuditCheckpointKeyException">Not an EC key in PEM.</exception>
    public static AuditCheckpointKey FromPem(string pem)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            throw new AuditCheckpointKeyException($"Not an EC key in PEM: {e.Message}");
        }
        return new AuditCheckpointKey(ecdsa, pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal));
    }

    /// <summary>Base64url of the IEEE P1363 signature (r‖s) of SHA-256 over <paramref name="data"/>.</summary>
    public string Sign(ReadOnlySpan<byte> data) => HasPrivateKey
        ? Base64Url.EncodeToString(_ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        : throw new InvalidOperationException($"Audit checkpoint key {KeyId} is a public key; it can only verify.");

    public bool Verify(ReadOnlySpan<byte> data, string signature)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(signature);
        }
        catch (FormatException)
        {
            return false;
        }
        return bytes.Length == 64 &&
               _ecdsa.VerifyData(data, bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public string ExportPublicKeyPem() => _ecdsa.ExportSubjectPublicKeyInfoPem();

    public string ExportPrivateKeyPem() => HasPrivateKey
        ? _ecdsa.ExportPkcs8PrivateKeyPem()
        : throw new InvalidOperationException($"Audit checkpoint key {KeyId} is a public key.");
}

public sealed class AuditCheckpointKeyException(string message) : Exception(message);
