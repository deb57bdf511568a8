using System.Diagnostics;
using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Parcels;
using HcmCity.LandRecords.Synthetic;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HcmCity.LandRecords;

/// <summary>
/// Embedded mode: fills the in-memory land records with a synthetic city (deterministic by seed) before the host
/// serves requests, so a newcomer sees a city without any database or data download.
/// </summary>
internal sealed class SyntheticCitySeeder(
    InMemoryParcelStore store,
    WardBoundaries wards,
    IOptions<LandRecordsOptions> options,
    ILogger<SyntheticCitySeeder> logger) : IHostedService
{
    private const int BatchSize = 10_000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.SeedParcels == 0)
        {
            return;
        }
        var watch = Stopwatch.StartNew();
        var city = SyntheticCity.Generate(new SyntheticCityOptions { Seed = settings.Seed, ParcelCount = settings.SeedParcels });
        wards.Replace(city.Wards.Select(w => new Ward(w.Code, w.Name, w.Boundary)));
        foreach (var batch in city.Parcels.Chunk(BatchSize))
        {
            await store.UpsertAsync(batch, cancellationToken);
        }
        logger.LogInformation("Seeded a synthetic city: {Parcels} parcels in {Wards} wards (seed {Seed}) in {Elapsed} ms",
            await store.CountAsync(cancellationToken), city.Wards.Count, settings.Seed, watch.ElapsedMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
