using HcmCity.Gis.Parcels;
using HcmCity.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HcmCity.Storage.EPermits;

public static class EPermitsExtensions
{
    /// <summary>
    /// Electronic permits: the signing keys (read now, so a bad key stops the start with the setting named), the
    /// register (PostgreSQL when ConnectionStrings:Postgres is set, migrated with the land records; otherwise in
    /// memory) and <see cref="EPermitService"/>.
    /// </summary>
    public static IHostApplicationBuilder AddEPermitRegister(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(EPermitService)))
        {
            return builder;
        }
        builder.AddLandRecords();
        var section = builder.Configuration.GetSection(EPermitOptions.Section);
        var options = section.Get<EPermitOptions>() ?? new EPermitOptions();
        if (options.StartWithinMonths is < 1 or > 120)
        {
            throw new ConfigurationException($"{EPermitOptions.Section}:StartWithinMonths must be 1..120.");
        }
        var keys = PermitSigningKeys.FromOptions(options, PlatformConfiguration.Mode(builder.Configuration));
        builder.Services.Configure<EPermitOptions>(section);
        builder.Services.AddSingleton(keys);
        builder.Services.TryAddSingleton(TimeProvider.System);
        if (string.IsNullOrWhiteSpace(builder.Configuration[PlatformConfiguration.PostgresKey]))
        {
            builder.Services.AddSingleton<IEPermitStore, InMemoryEPermitStore>();
        }
        else
        {
            builder.Services.AddSingleton<IEPermitStore>(sp => new PostgresEPermitStore(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        builder.Services.AddSingleton<EPermitService>();
        builder.Services.AddHostedService<SigningKeyAnnouncer>();
        return builder;
    }

    /// <summary>Logs which key signs permits, so an operator can match it with the published JWKS.</summary>
    private sealed class SigningKeyAnnouncer(PermitSigningKeys keys, ILogger<SigningKeyAnnouncer> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (keys.Generated)
            {
                logger.LogWarning(
                    "E-permits are signed with key {KeyId}, generated for this process (embedded mode): permits issued now " +
                    "will not verify after a restart. Set {Setting} to keep a key.",
                    keys.Signing.KeyId, $"{EPermitOptions.Section}:SigningKeyPem");
            }
            else
            {
                logger.LogInformation("E-permits are signed with key {KeyId}; {Count} key(s) published.",
                    keys.Signing.KeyId, keys.Trusted.Keys.Count);
            }
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
