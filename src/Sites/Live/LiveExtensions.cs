namespace HcmCity.Sites.Live;

public static class LiveExtensions
{
    /// <summary>Site events from the grains to this host's MapHub clients.</summary>
    public static IHostApplicationBuilder AddLivePush(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LiveSubscriptions>();
        builder.Services.AddSingleton<RemoteMapHub>();
        builder.Services.AddHostedService<LiveHubRegistration>();
        return builder;
    }
}
