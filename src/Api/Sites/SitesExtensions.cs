using HcmCity.Api.Live;
using HcmCity.Storage.Sites;

namespace HcmCity.Api.Sites;

public static class SitesExtensions
{
    /// <summary>Site records and monitoring settings, the endpoints' services, and live push to this host's hub.</summary>
    public static IHostApplicationBuilder AddSites(this IHostApplicationBuilder builder)
    {
        builder.AddSiteRecords();
        builder.Services.AddSingleton<SiteServices>();
        builder.AddLivePush();
        return builder;
    }
}
