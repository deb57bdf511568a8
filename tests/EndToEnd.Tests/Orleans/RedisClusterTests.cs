using HcmCity.Abstractions.Parcels;
using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Parcels;
using HcmCity.Testing;
using HcmCity.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace HcmCity.EndToEnd.Tests.Orleans;

/// <summary>The production Orleans providers on the real Redis: clustering, grain storage, reminders.</summary>
public sealed class RedisClusterTests
{
    [Fact]
    public async Task Two_silos_on_redis_clustering_both_host_grain_activations()
    {
        await TestServices.RequireTcpAsync("Redis", TestServices.Redis, TestContext.Current.CancellationToken);
        await using var cluster = await StartClusterAsync(silos: 2, serviceId: $"svc-{Guid.NewGuid():N}");

        Assert.Equal(2, cluster.GetActiveSilos().Count());
        // Placement weighs each silo's load, so on a busy machine the first activations may all land on one silo:
        // activate more parcels, a batch at a time, until both host some (bounded).
        var silosWithParcels = 0;
        for (var batch = 0; batch < 20 && silosWithParcels < 2; batch++)
        {
            for (var id = batch * 64 + 1; id <= (batch + 1) * 64; id++)
            {
                await cluster.Client.GetGrain<IParcelGrain>(id).GetLinksAsync();
            }
            // IManagementGrain takes no cancellation token.
#pragma warning disable xUnit1051
            var statistics = await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
#pragma warning restore xUnit1051
            silosWithParcels = statistics
                .Where(s => s.GrainType.Contains(nameof(ParcelGrain), StringComparison.Ordinal))
                .Select(s => s.SiloAddress).Distinct().Count();
        }
        Assert.Equal(2, silosWithParcels);
    }

    [Fact]
    public async Task Parcel_grain_state_survives_a_silo_restart()
    {
        await TestServices.RequireTcpAsync("Redis", TestServices.Redis, TestContext.Current.CancellationToken);
        var serviceId = $"svc-{Guid.NewGuid():N}";
        var parcelId = Random.Shared.NextInt64(1, long.MaxValue);

        await using (var first = await StartClusterAsync(silos: 1, serviceId))
        {
            var grain = first.Client.GetGrain<IParcelGrain>(parcelId);
            await grain.AttachPermitAsync("GP-79-2026-000123");
            await grain.AttachSiteAsync("site-q1-0042");
        }

        await using var second = await StartClusterAsync(silos: 1, serviceId);
        var links = await second.Client.GetGrain<IParcelGrain>(parcelId).GetLinksAsync();
        Assert.Equal(["GP-79-2026-000123"], links.Permits);
        Assert.Equal(["site-q1-0042"], links.Sites);
    }

    /// <summary>A cluster wired exactly as a production silo is: <see cref="OrleansSiloSetup.AddRedisProviders"/>.</summary>
    internal static Task<TestCluster> StartClusterAsync(int silos, string serviceId) =>
        StartClusterAsync<RedisSiloConfigurator, RedisClientConfigurator>(silos, serviceId);

    /// <summary>A cluster on Redis clustering with the given silo and client configurators (derived from the Redis ones).</summary>
    internal static async Task<TestCluster> StartClusterAsync<TSilo, TClient>(int silos, string serviceId)
        where TSilo : RedisSiloConfigurator, new()
        where TClient : RedisClientConfigurator, new()
    {
        var builder = new TestClusterBuilder((short)silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ServiceId = serviceId;
        builder.Options.ClusterId = serviceId;
        builder.AddSiloBuilderConfigurator<TSilo>();
        builder.AddClientBuilderConfigurator<TClient>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    internal class RedisSiloConfigurator : ISiloConfigurator
    {
        public virtual void Configure(ISiloBuilder siloBuilder)
        {
            OrleansSiloSetup.AddRedisProviders(siloBuilder, TestServices.Redis);
            siloBuilder.Services.AddSingleton<IParcelStore, InMemoryParcelStore>();
        }
    }

    internal class RedisClientConfigurator : IClientBuilderConfigurator
    {
        public virtual void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseRedisClustering(TestServices.Redis);
    }
}
