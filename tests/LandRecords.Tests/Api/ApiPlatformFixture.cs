using System.Net;
using System.Text.Json;
using HcmCity.Gis.Parcels;
using HcmCity.Testing;
using HcmCity.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.LandRecords.Tests.Api;

/// <summary>
/// The embedded platform (synthetic city) plus a patch of lots of our own, each carrying personal data, so the
/// API tests know exactly what a query must return and can look for leaks. Its own instance: the lots must not
/// change what other test collections count.
/// </summary>
public sealed class ApiPlatformFixture : IAsyncLifetime
{
    /// <summary>Lots of the patch: <see cref="Columns"/> × <see cref="Rows"/> lots of 10 × 20 m on sheet "7".</summary>
    public const int Columns = 6;

    public const int Rows = 5;

    public const string Sheet = "7";

    public PlatformInstance Platform { get; private set; } = null!;

    public ParcelFixtures Patch { get; } = new();

    /// <summary>The patch lots as stored (with ids), in id order.</summary>
    public IReadOnlyList<Parcel> Lots { get; private set; } = [];

    public IParcelStore Store => Platform.Services.GetRequiredService<IParcelStore>();

    public async ValueTask InitializeAsync()
    {
        Platform = await PlatformInstance.StartAsync();
        var lots = new List<Parcel>();
        for (var row = 0; row < Rows; row++)
        {
            for (var column = 0; column < Columns; column++)
            {
                lots.Add(Patch.Lot(Sheet, row * Columns + column + 1, column * 10, row * 20, width: 10, depth: 20));
            }
        }

        await Store.UpsertAsync(lots);
        var page = await Store.SearchAsync(new ParcelQuery(Unit: Patch.Unit, Limit: 1000));
        Lots = page.Items;
    }

    public async ValueTask DisposeAsync() => await Platform.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ApiPlatformCollection : ICollectionFixture<ApiPlatformFixture>
{
    public const string Name = "Api platform";
}
