using HcmCity.Abstractions.Permits;
using HcmCity.Gis.Compliance;
using HcmCity.Permits.Calendar;
using HcmCity.Permits.Conditions;
using HcmCity.Permits.Demo;
using HcmCity.Permits.Dossiers;
using HcmCity.Permits.EPermits;
using HcmCity.Permits.Public;
using HcmCity.Permits.SitePlans;
using HcmCity.ServiceDefaults;
using HcmCity.ServiceDefaults.Postgres;
using HcmCity.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HcmCity.Permits;

public static class PermitsExtensions
{
    /// <summary>
    /// Construction permits: dossiers (PostgreSQL when ConnectionStrings:Postgres is set, in memory otherwise), the
    /// working-day calendar and the statutory clock, the rule sets the site-plan checks use, and electronic permits
    /// (signing keys read now, so a bad key stops the start with the setting named; the register; the
    /// <see cref="IPermitIssuer"/> an approval calls). Wherever permit grains run and wherever the API is served.
    /// </summary>
    public static IHostApplicationBuilder AddPermits(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(IPermitRepository)))
        {
            return builder;
        }
        builder.Services.AddOptions<PermitOptions>()
            .Bind(builder.Configuration.GetSection(PermitOptions.Section))
            .Validate(o => o.StatutoryWorkingDays is >= 1 and <= 60, $"{PermitOptions.Section}:StatutoryWorkingDays must be 1..60.")
            .Validate(o => o.WarningWorkingDays >= 0 && o.WarningWorkingDays < o.StatutoryWorkingDays,
                $"{PermitOptions.Section}:WarningWorkingDays must be 0..StatutoryWorkingDays-1.")
            .Validate(o => o.CheckInterval > TimeSpan.Zero && o.CheckInterval <= TimeSpan.FromDays(1),
                $"{PermitOptions.Section}:CheckInterval must be positive and at most one day.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.DossierPrefix), $"{PermitOptions.Section}:DossierPrefix is required.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(VietnamWorkingCalendar.Default);
        builder.Services.TryAddSingleton<PermitClock>();
        builder.Services.TryAddSingleton(sp => new WorkingDayIndex(sp.GetRequiredService<VietnamWorkingCalendar>()));
        // Embedded rule sets (a new decision is a new *.rules.json); a host may register its own catalog first.
        builder.Services.TryAddSingleton(_ => RuleSetCatalog.Embedded());
        builder.Services.TryAddSingleton(_ => SiteConditionRules.Embedded());
        AddEPermits(builder);

        if (string.IsNullOrWhiteSpace(builder.Configuration[PlatformConfiguration.PostgresKey]))
        {
            builder.Services.AddSingleton<IPermitRepository, InMemoryPermitRepository>();
            builder.Services.AddSingleton<IEPermitStore, InMemoryEPermitStore>();
        }
        else
        {
            builder.AddPostgresSchema(typeof(PermitsExtensions).Assembly);
            builder.Services.AddSingleton<IPermitRepository, PostgresPermitRepository>();
            builder.Services.AddSingleton<IEPermitStore>(sp => new PostgresEPermitStore(
                sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<Abstractions.Audit.ITransactionalAuditTrail>()));
        }
        if (DemoSignInGate.IsOn(builder.Configuration))
        {
            DemoDossiers.Register(builder);
        }
        return builder;
    }

    /// <summary>The dossiers, site-plan checks, e-permits and their pages, and the published processing figures.</summary>
    public static IEndpointRouteBuilder MapPermitsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPermitsApi();
        app.MapSitePlansApi();
        app.MapEPermitsApi();
        app.MapPublicProcessingApi();
        return app;
    }

    private static void AddEPermits(IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(EPermitOptions.Section);
        var options = section.Get<EPermitOptions>() ?? new EPermitOptions();
        if (options.StartWithinMonths is < 1 or > 120)
        {
            throw new ConfigurationException($"{EPermitOptions.Section}:StartWithinMonths must be 1..120.");
        }
        var mode = PlatformConfiguration.Mode(builder.Configuration);
        // Without it, permit pages and QR codes would carry whatever Host header the request came with: a forged link to
        // another site, printed on a genuine permit.
        if (mode == PlatformMode.Production && options.PublicBaseUrl is null)
        {
            throw new ConfigurationException(
                $"{EPermitOptions.Section}:PublicBaseUrl is missing; production prints permit links and QR codes with the platform's " +
                "public address (e.g. https://cap-phep.example.vn).");
        }
        if (options.PublicBaseUrl is { } publicBaseUrl && (!publicBaseUrl.IsAbsoluteUri || publicBaseUrl.Scheme is not ("https" or "http")))
        {
            throw new ConfigurationException($"{EPermitOptions.Section}:PublicBaseUrl is not valid: expected an absolute http(s) URL.");
        }
        var keys = PermitSigningKeys.FromOptions(options, mode);
        builder.Services.Configure<EPermitOptions>(section);
        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton<EPermitService>();
        builder.Services.TryAddSingleton<IPermitIssuer, EPermitIssuer>();
        builder.Services.AddHostedService<SigningKeyAnnouncer>();
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
