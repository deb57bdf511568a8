using HcmCity.ServiceDefaults;

namespace HcmCity.Permits.EPermits;

/// <summary>The key that signs new permits and every key whose permits still verify (current first).</summary>
public sealed class PermitSigningKeys
{
    public PermitSigningKeys(PermitKey signing, IEnumerable<PermitKey> previous, bool generated)
    {
        if (!signing.HasPrivateKey)
        {
            throw new ConfigurationException($"{EPermitOptions.Section}:SigningKeyPem must hold a private key.");
        }
        Signing = signing;
        Generated = generated;
        Trusted = new PermitKeySet([signing, .. previous]);
    }

    public PermitKey Signing { get; }

    /// <summary>Generated at start (embedded mode): permits signed with it do not verify after a restart.</summary>
    public bool Generated { get; }

    public PermitKeySet Trusted { get; }

    /// <exception cref="ConfigurationException">A key is missing (production) or unreadable, naming the setting.</exception>
    public static PermitSigningKeys FromOptions(EPermitOptions options, PlatformMode mode)
    {
        ArgumentNullException.ThrowIfNull(options);
        PermitKey signing;
        var generated = string.IsNullOrWhiteSpace(options.SigningKeyPem);
        if (generated)
        {
            signing = mode == PlatformMode.Embedded
                ? PermitKey.Generate()
                : throw new ConfigurationException(
                    $"{EPermitOptions.Section}:SigningKeyPem is missing; production signs permits with a key from a secret " +
                    "(create one with `keys generate --out <file>`).");
        }
        else
        {
            signing = Read(options.SigningKeyPem!, $"{EPermitOptions.Section}:SigningKeyPem");
        }
        var previous = options.PreviousKeysPem
            .Select((pem, i) => Read(pem, $"{EPermitOptions.Section}:PreviousKeysPem:{i}"))
            .ToList();
        return new PermitSigningKeys(signing, previous, generated);
    }

    private static PermitKey Read(string pem, string setting)
    {
        try
        {
            return PermitKey.FromPem(pem);
        }
        catch (PermitKeyException e)
        {
            throw new ConfigurationException($"{setting} is not valid: {e.Message}");
        }
    }
}
