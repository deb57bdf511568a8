using System.Collections.Concurrent;
using HcmCity.Abstractions.Parcels;
using HcmCity.LandRecords.Parcels;
using HcmCity.Testing;
using HcmCity.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace HcmCity.EndToEnd.Tests.Resilience;

/// <summary>
/// A silo of a three-silo cluster on the production providers (Redis clustering and grain storage) dies while its
/// grains are being written: they come back on the surviving silos with every write that was acknowledged.
/// </summary>
public sealed class SiloDeathTests
{
    private const int Parcels = 30;

    [Fact]
    public async Task When_a_silo_dies_its_grains_reactivate_elsewhere_with_every_acknowledged_write()
    {
        await TestServices.RequireTcpAsync("Redis", TestServices.Redis, TestContext.Current.CancellationToken);
        await using var cluster = await StartClusterAsync($"svc-{Guid.NewGuid():N}");
        var client = cluster.Client;
        var firstId = Random.Shared.NextInt64(1, long.MaxValue / 2);
        var ids = Enumerable.Range(0, Parcels).Select(i => firstId + i).ToArray();

        // Placement weighs load, so grains may crowd on one silo: activate more until a secondary silo hosts some.
        var hosts = new Dictionary<long, SiloAddress>();
        var victim = default(SiloAddress);
        for (var round = 0; round < 20 && victim is null; round++)
        {
            var batch = Enumerable.Range(round * Parcels, Parcels).Select(i => firstId + i).ToArray();
            if (round > 0)
            {
                ids = [.. ids, .. batch];
            }
            foreach (var id in batch)
            {
                await client.GetGrain<IParcelGrain>(id).AttachSiteAsync($"site-{id}");
            }
            hosts = await HostsAsync(client);
            var secondaries = cluster.SecondarySilos.Select(s => s.SiloAddress).ToHashSet();
            victim = hosts.Values.Where(secondaries.Contains).GroupBy(s => s).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key;
        }
        Assert.NotNull(victim);
        var onVictim = ids.Where(id => hosts.GetValueOrDefault(id) == victim).ToArray();
        Assert.NotEmpty(onVictim);

        // Writers keep attaching permits to every parcel; a permit counts once its call returned.
        var acknowledged = ids.ToDictionary(id => id, _ => new ConcurrentBag<string>());
        using var stop = new CancellationTokenSource();
        var writers = ids.Select(id => Task.Run(() => WriteAsync(client.GetGrain<IParcelGrain>(id), acknowledged[id], stop.Token))).ToArray();
        await Eventually.TrueAsync(() => acknowledged.Values.All(a => a.Count >= 2));

        var beforeKill = acknowledged.ToDictionary(a => a.Key, a => a.Value.Count);
        await cluster.KillSiloAsync(cluster.SecondarySilos.Single(s => s.SiloAddress == victim), TestContext.Current.CancellationToken);

        // Writing goes on after the kill, also to the victim's grains once they are reactivated elsewhere.
        await Eventually.TrueAsync(() => acknowledged.All(a => a.Value.Count >= beforeKill[a.Key] + 3), TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        foreach (var id in ids)
        {
            var links = await client.GetGrain<IParcelGrain>(id).GetLinksAsync();
            Assert.Equal([$"site-{id}"], links.Sites);
            var missing = acknowledged[id].Except(links.Permits).ToArray();
            Assert.True(missing.Length == 0, $"parcel {id} lost acknowledged permits {string.Join(", ", missing)}");
        }
        var after = await HostsAsync(client);
        Assert.DoesNotContain(victim, after.Values);
        Assert.All(onVictim, id => Assert.True(after.ContainsKey(id), $"parcel {id} of the dead silo is active again"));
        Assert.Equal(2, cluster.GetActiveSilos().Count());
    }

    private static async Task WriteAsync(IParcelGrain grain, ConcurrentBag<string> acknowledged, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var permit = $"GP-{n:D5}";
            try
            {
                await grain.AttachPermitAsync(permit);
                acknowledged.Add(permit);
            }
            catch (Exception)
            {
                // Not acknowledged (the silo died under it, or its grain was moving): neither counted nor required.
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    /// <summary>Which silo hosts each active parcel grain.</summary>
    private static async Task<Dictionary<long, SiloAddress>> HostsAsync(IClusterClient client)
    {
        // IManagementGrain takes no cancellation token.
#pragma warning disable xUnit1051
        var statistics = await client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
#pragma warning restore xUnit1051
        return statistics
            .Where(s => s.GrainType.Contains(nameof(ParcelGrain), StringComparison.Ordinal))
            .GroupBy(s => s.GrainId.GetIntegerKey())
            .ToDictionary(g => g.Key, g => g.First().SiloAddress);
    }

    /// <summary>
    /// Three silos wired as production ones are (<see cref="OrleansSiloSetup.AddRedisProviders"/>), with failure
    /// detection and call time-outs short enough for a test.
    /// </summary>
    private static Task<TestCluster> StartClusterAsync(string serviceId) =>
        HcmCity.EndToEnd.Tests.Orleans.RedisClusterTests.StartClusterAsync<SiloConfigurator, ClientConfigurator>(3, serviceId);

    private sealed class SiloConfigurator : HcmCity.EndToEnd.Tests.Orleans.RedisClusterTests.RedisSiloConfigurator
    {
        public override void Configure(ISiloBuilder siloBuilder)
        {
            base.Configure(siloBuilder);
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
            siloBuilder.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        }
    }

    private sealed class ClientConfigurator : HcmCity.EndToEnd.Tests.Orleans.RedisClusterTests.RedisClientConfigurator
    {
        public override void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            base.Configure(configuration, clientBuilder);
            clientBuilder.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        }
    }
}
