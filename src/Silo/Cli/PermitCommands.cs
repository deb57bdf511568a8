using System.CommandLine;
using System.Globalization;
using HcmCity.ServiceDefaults;
using HcmCity.Permits.EPermits;
using Microsoft.Extensions.Configuration;

namespace HcmCity.Silo.Cli;

/// <summary>
/// E-permit verbs that need neither a database nor a server: <c>verify permit</c> checks a permit with the public
/// key(s) only, <c>keys export</c> writes the configured public keys as a JWKS for other agencies, <c>keys generate</c>
/// creates a signing key for production. Exit codes: 0 valid, 1 not valid, 2 bad input.
/// </summary>
internal static class PermitCommands
{
    private const int Valid = 0;
    private const int NotValid = 1;
    private const int BadInput = 2;

    public static IEnumerable<Command> Build() => [Verify(), Keys()];

    private static Command Verify()
    {
        var permit = new Argument<string>("permit")
        {
            Description = "A file holding the permit's JWS (or the QR code's URL), or the JWS itself.",
        };
        var publicKey = new Option<FileInfo>("--public-key")
        {
            Description = "The platform's public key(s): a JWKS (GET /api/permits/keys, `keys export`) or a PEM file.",
            Required = true,
        };
        var at = new Option<string?>("--at")
        {
            Description = "Check validity at this instant (ISO 8601, e.g. 2027-06-30T00:00:00+07:00) instead of now.",
        };
        var verifyPermit = new Command("permit", "Verify an electronic permit offline, with the public key only.")
        {
            permit, publicKey, at,
        };
        verifyPermit.SetAction(parse => VerifyPermit(parse.GetRequiredValue(permit), parse.GetRequiredValue(publicKey), parse.GetValue(at)));
        return new Command("verify", "Verify documents issued by the platform.") { verifyPermit };
    }

    private static Command Keys()
    {
        var exportOut = new Option<FileInfo>("--out") { Description = "File to write the JWKS to.", Required = true };
        var export = new Command("export",
            $"Write the public keys of {EPermitOptions.Section}:SigningKeyPem and {EPermitOptions.Section}:PreviousKeysPem " +
            "(appsettings.json or EPermits__... environment variables) as a JWKS.")
        {
            exportOut,
        };
        export.SetAction(parse => ExportKeys(parse.GetRequiredValue(exportOut)));

        var generateOut = new Option<FileInfo>("--out") { Description = "File to write the private key (PKCS#8 PEM) to.", Required = true };
        var generate = new Command("generate", "Create a new ECDSA P-256 signing key for EPermits:SigningKeyPem.") { generateOut };
        generate.SetAction(parse => GenerateKey(parse.GetRequiredValue(generateOut)));

        return new Command("keys", "Permit signing keys.") { export, generate };
    }

    private static int VerifyPermit(string permitArgument, FileInfo keyFile, string? at)
    {
        if (!keyFile.Exists)
        {
            return Fail($"Public key file not found: {keyFile.FullName}");
        }
        var now = DateTimeOffset.UtcNow;
        if (at is not null && !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out now))
        {
            return Fail($"--at is not a date and time: {at}");
        }
        PermitKeySet keys;
        try
        {
            keys = PermitKeySet.Parse(File.ReadAllText(keyFile.FullName));
        }
        catch (PermitKeyException e)
        {
            return Fail($"{keyFile.Name}: {e.Message}");
        }

        var jws = File.Exists(permitArgument) ? File.ReadAllText(permitArgument) : permitArgument;
        // The QR code holds the verify page's URL with the JWS after '#'.
        if (jws.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0)
        {
            jws = jws[(hash + 1)..];
        }
        PermitVerification result;
        try
        {
            result = PermitVerification.Offline(PermitJws.Check(Uri.UnescapeDataString(jws.Trim()), keys, now));
        }
        catch (MalformedPermitException e)
        {
            return Fail($"Not an e-permit: {e.Message}");
        }

        Console.WriteLine($"Giấy phép / Permit {result.PermitNumber}");
        Console.WriteLine($"  Xác thực / Genuine:     {YesNo(result.Genuine)} (key {result.KeyId})");
        Console.WriteLine($"  Nguyên vẹn / Unaltered: {YesNo(result.Unaltered)}");
        Console.WriteLine($"  Hết hạn / Expires:      {PermitVerification.Date(result.ExpiresAt)} ({result.ExpiresAt:O})" +
                          (result.ExpiresAt <= now ? " - EXPIRED" : ""));
        if (result.StartBy is { } startBy)
        {
            Console.WriteLine($"  Khởi công trước / Start by: {startBy.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}");
        }
        Console.WriteLine("  Thu hồi / Revocation:   không kiểm tra được khi ngoại tuyến / cannot be known offline: " +
                          $"ask the register, GET /api/permits/{result.PermitNumber}/verify");
        Console.WriteLine("  Thi công / Construction: đình chỉ, hoàn công, hết hạn khởi công không kiểm tra được khi ngoại tuyến / " +
                          "suspended, completed or expired for lack of commencement cannot be known offline: ask the register");
        foreach (var problem in result.Problems)
        {
            Console.WriteLine($"  ! {problem}");
        }
        Console.WriteLine(result.Valid
            ? "HỢP LỆ / VALID (offline check: genuine, unaltered, not expired; revocation not checked)"
            : "KHÔNG HỢP LỆ / NOT VALID");
        return result.Valid ? Valid : NotValid;
    }

    private static int ExportKeys(FileInfo output)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var options = configuration.GetSection(EPermitOptions.Section).Get<EPermitOptions>() ?? new EPermitOptions();
        PermitSigningKeys keys;
        try
        {
            // Production rules: without a configured key there is nothing lasting to export (an embedded platform's
            // key lives as long as its process and is published at GET /api/permits/keys).
            keys = PermitSigningKeys.FromOptions(options, PlatformMode.Production);
        }
        catch (ConfigurationException e)
        {
            return Fail(e.Message);
        }
        File.WriteAllText(output.FullName, keys.Trusted.ToJwksJson());
        Console.WriteLine($"Wrote {keys.Trusted.Keys.Count} public key(s) to {output.FullName}; signing key {keys.Signing.KeyId}.");
        return Valid;
    }

    private static int GenerateKey(FileInfo output)
    {
        if (output.Exists)
        {
            return Fail($"{output.FullName} exists; a signing key is never overwritten.");
        }
        var key = PermitKey.Generate();
        File.WriteAllText(output.FullName, key.ExportPrivateKeyPem());
        Console.WriteLine($"Wrote signing key {key.KeyId} to {output.FullName}. Keep it secret; set it as {EPermitOptions.Section}:SigningKeyPem.");
        return Valid;
    }

    private static string YesNo(bool value) => value ? "có / yes" : "KHÔNG / NO";

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return BadInput;
    }
}
