using HcmCity.Audit;
using HcmCity.LandRecords;
using HcmCity.Permits;
using HcmCity.ServiceDefaults.Postgres;
using HcmCity.Sites;
using HcmCity.Web;

namespace HcmCity.Platform;

/// <summary>The whole database schema: every capability's migrations, for the CLI's <c>migrate</c> verb and tests.</summary>
public static class PlatformSchema
{
    public static IReadOnlyList<Migration> Migrations { get; } = DatabaseMigrator.Embedded(
    [
        DatabaseMigrator.Base,
        typeof(WebExtensions).Assembly,
        typeof(AuditExtensions).Assembly,
        typeof(LandRecordsExtensions).Assembly,
        typeof(PermitsExtensions).Assembly,
        typeof(SitesExtensions).Assembly,
    ]);
}
