using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HcmCity.Sites.Records;

/// <summary>
/// Device secrets: 256 random bits, shown once at provisioning and stored as "pbkdf2-sha256$iterations$salt$hash".
/// The secret is machine-generated, not a human password, so a modest iteration count already puts brute force out
/// of reach while keeping the broker's check of every device connection cheap.
/// </summary>
public static class SensorSecrets
{
    private const string Scheme = "pbkdf2-sha256";
    private const int Iterations = 10_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool Verify(string secret, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
        {
            return false;
        }
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Checks a device's MQTT credentials; the broker's authentication hook calls it.</summary>
public interface ISensorCredentials
{
    /// <summary>
    /// True when <paramref name="deviceId"/> is a provisioned sensor not revoked and <paramref name="secret"/> is its secret.
    /// </summary>
    Task<bool> VerifyAsync(string deviceId, string secret, CancellationToken cancellationToken = default);
}

public sealed class SensorCredentials(ISiteRepository repository) : ISensorCredentials
{
    public async Task<bool> VerifyAsync(string deviceId, string secret, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(deviceId) || string.IsNullOrEmpty(secret))
        {
            return false;
        }
        var sensor = await repository.GetSensorAsync(deviceId, cancellationToken);
        return sensor is { RevokedAt: null } && SensorSecrets.Verify(secret, sensor.SecretHash);
    }
}

/// <summary>
/// The MQTT broker's side of a sensor's life: provisioning lets its device in, revocation cuts it off. Implemented by
/// the embedded broker (embedded mode) and by mosquitto's dynamic-security plugin (production).
/// </summary>
public interface IDeviceAccess
{
    /// <summary>
    /// Lets <paramref name="deviceId"/> connect with <paramref name="secret"/> as its password and publish to
    /// hcm/devices/{deviceId}/telemetry only.
    /// </summary>
    Task GrantAsync(string deviceId, string secret, CancellationToken cancellationToken = default);

    /// <summary>Refuses the device from now on and disconnects it if it is connected. Idempotent.</summary>
    Task RevokeAsync(string deviceId, CancellationToken cancellationToken = default);
}

/// <summary>
/// No broker in this process to tell (an API without the gateway in embedded mode): the broker that devices reach
/// checks <see cref="ISensorCredentials"/> itself.
/// </summary>
public sealed class UnmanagedDeviceAccess : IDeviceAccess
{
    public Task GrantAsync(string deviceId, string secret, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RevokeAsync(string deviceId, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
