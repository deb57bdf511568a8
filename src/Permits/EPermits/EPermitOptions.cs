namespace HcmCity.Permits.EPermits;

/// <summary>Electronic permit settings, section "EPermits".</summary>
public sealed class EPermitOptions
{
    public const string Section = "EPermits";

    /// <summary>Vietnam's civil time (UTC+7, no daylight saving): permit years and printed dates follow it.</summary>
    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    /// <summary>
    /// The platform's signing key, ECDSA P-256 as PKCS#8 PEM, from a secret. Required in production; embedded mode
    /// generates one per process when empty.
    /// </summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>
    /// Retired keys (PEM, public or private) whose permits must still verify after a key rotation: published in the
    /// JWKS with the current key, never used to sign.
    /// </summary>
    public List<string> PreviousKeysPem { get; set; } = [];

    /// <summary>
    /// A permit lapses when construction has not started within this many months of issue (Law 135/2025/QH15 and
    /// Decree 217/2026/NĐ-CP, 12 months) [secondary: from transcriptions, hence a setting].
    /// </summary>
    public int StartWithinMonths { get; set; } = 12;

    /// <summary>
    /// Public address of the platform printed in the permit's QR code (e.g. https://cap-phep.example.vn); when empty,
    /// the address the page was requested on.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }
}
