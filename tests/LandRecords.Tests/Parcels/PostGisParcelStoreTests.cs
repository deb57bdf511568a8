using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Parcels;
using HcmCity.Testing;
using HcmCity.Tests.Shared;

namespace HcmCity.LandRecords.Tests.Parcels;

/// <summary>The shared <see cref="IParcelStore"/> contract, against PostGIS in a migrated database of its own.</summary>
public sealed class PostGisParcelStoreTests(PostgresFixture fixture) : ParcelStoreContract, IClassFixture<PostgresFixture>
{
    protected override IParcelStore CreateStore() => new PostGisParcelStore(fixture.Database.DataSource);
}
