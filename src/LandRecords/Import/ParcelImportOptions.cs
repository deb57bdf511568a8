using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Import;

/// <param name="Srid">Source CRS; overrides the file's own (GeoJSON <c>crs</c>, Shapefile .prj) when given.</param>
/// <param name="Unit">Administrative unit for every parcel; wins over the file's XAID/unit/commune field.</param>
/// <param name="KeepPersonal">Keep owner names, addresses and ID numbers in <see cref="Parcel.Personal"/>.</param>
/// <param name="BatchSize">Parcels per batch from <see cref="ParcelFileReader.ReadBatchesAsync"/>.</param>
public sealed record ParcelImportOptions(int? Srid = null, string? Unit = null, bool KeepPersonal = false, int BatchSize = 10_000);
