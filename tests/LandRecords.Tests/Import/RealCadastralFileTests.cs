using System.Runtime.CompilerServices;
using HcmCity.Gis.Crs;
using HcmCity.LandRecords.Import;

namespace HcmCity.Gis.Tests.Import;

/// <summary>The Phù Cát cadastral extract (VN-2000 TM-3 zone 482) kept next to the repository in ../shared.</summary>
public sealed class RealCadastralFileTests
{
    /// <summary>Found from this source file's folder (test binaries may be built outside the repository), else the working or binary folder.</summary>
    private static string PhuCatParcels([CallerFilePath] string sourceFile = "")
    {
        string[] starts = [Path.GetDirectoryName(sourceFile) ?? "", Environment.CurrentDirectory, AppContext.BaseDirectory];
        var root = starts.Select(RepositoryRoot).FirstOrDefault(found => found is not null);
        Assert.True(root is not null, $"No HcmCity.sln above {string.Join(" or ", starts)}.");
        var path = Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "cadastral", "phu-cat-parcels-vn2000.geojson"));
        Assert.True(File.Exists(path), $"The shared cadastral data is missing at {path}; it sits at ../shared next to the repository.");
        return path;
    }

    private static string? RepositoryRoot(string start)
    {
        for (var directory = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HcmCity.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    [Fact]
    public async Task Phu_cat_parcels_read_in_zone_482_with_areas_matching_the_register()
    {
        var path = PhuCatParcels();

        var results = await GeoJsonImportTests.ReadAll(path);

        Assert.Equal(4323, results.Count);
        Assert.Equal(4323, ParcelFileReader.CountFeatures(path));
        Assert.Equal(Srid.HanoiTm3, ParcelFileReader.FileSrid(path));
        var parcels = results.OfType<AcceptedParcel>().Select(a => a.Parcel).ToList();
        Assert.All(parcels, p => Assert.Equal(Srid.HanoiTm3, p.SourceSrid));
        var registered = parcels.Where(p => p.RegisteredArea > 0).ToList();
        var matching = registered.Count(p => Math.Abs(p.Area - p.RegisteredArea!.Value) <= 0.001 * p.RegisteredArea.Value);
        Assert.True(matching >= 0.99 * results.Count, $"{matching} of {results.Count} parcels within 0.1 % of DIENTICH.");
        Assert.All(results.OfType<Rejection>(), r => Assert.Equal(RejectionReason.DuplicateKey, r.Reason));
    }
}
