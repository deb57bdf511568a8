using HcmCity.Gis.Crs;

namespace HcmCity.Gis.Tests.Crs;

public sealed class CrsRegistryTests
{
    [Theory]
    [InlineData("EPSG:9210", 9210)]
    [InlineData("epsg:5899", 5899)]
    [InlineData("9210", 9210)]
    [InlineData(" 5897 ", 5897)]
    [InlineData("urn:ogc:def:crs:EPSG::5897", 5897)]
    [InlineData("urn:ogc:def:crs:EPSG:9.9.1:9210", 9210)]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/9210", 9210)]
    [InlineData("https://www.opengis.net/def/crs/EPSG/0/3857", 3857)]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", 4326)]
    [InlineData("http://www.opengis.net/def/crs/OGC/1.3/CRS84", 4326)]
    [InlineData("EPSG:4326", 4326)]
    [InlineData("EPSG:4756", 4756)]
    public void ParseSrid_accepts_the_usual_ways_of_naming_a_crs(string text, int expected)
    {
        Assert.Equal(expected, CrsRegistry.ParseSrid(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("EPSG:")]
    [InlineData("EPSG:2154")]
    [InlineData("VN-2000")]
    [InlineData("EPSG:9210x")]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS83")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/")]
    [InlineData("-9210")]
    public void ParseSrid_rejects_anything_else_naming_the_value(string text)
    {
        var error = Assert.Throws<UnknownCrsException>(() => CrsRegistry.ParseSrid(text));

        Assert.Equal(text, error.Crs);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("EPSG:9210", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Supported_lists_wgs84_web_mercator_vn2000_and_every_tm3_zone()
    {
        int[] expected = [3857, 4326, 4756, 5896, 5897, 5898, 5899, .. Enumerable.Range(9205, 14)];

        Assert.Equal(expected, CrsRegistry.Supported);
        Assert.All(expected, srid => Assert.True(CrsRegistry.IsSupported(srid)));
        Assert.False(CrsRegistry.IsSupported(9219));
    }

    [Theory]
    [InlineData(9210, "VN-2000 / TM-3 105-45", "http://www.opengis.net/def/crs/EPSG/0/9210")]
    [InlineData(5899, "VN-2000 / TM-3 107-45", "http://www.opengis.net/def/crs/EPSG/0/5899")]
    [InlineData(5897, "VN-2000 / TM-3 zone 482", "http://www.opengis.net/def/crs/EPSG/0/5897")]
    [InlineData(4326, "WGS 84", "http://www.opengis.net/def/crs/OGC/1.3/CRS84")]
    [InlineData(3857, "WGS 84 / Pseudo-Mercator", "http://www.opengis.net/def/crs/EPSG/0/3857")]
    public void Name_and_uri_follow_epsg_and_ogc(int srid, string name, string uri)
    {
        Assert.Equal(name, CrsRegistry.Name(srid));
        Assert.Equal(uri, CrsRegistry.OgcUri(srid));
        Assert.Equal(srid, CrsRegistry.ParseSrid(uri));
    }

    [Fact]
    public void Hcmc_wkt_carries_the_position_vector_signs_of_epsg_6960()
    {
        var wkt = CrsRegistry.Wkt(Srid.HcmcTm3);

        Assert.Contains("TOWGS84[-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278]", wkt, StringComparison.Ordinal);
        Assert.Contains("PARAMETER[\"central_meridian\",105.75]", wkt, StringComparison.Ordinal);
        Assert.Contains("PARAMETER[\"scale_factor\",0.9999]", wkt, StringComparison.Ordinal);
        Assert.EndsWith("AUTHORITY[\"EPSG\",\"9210\"]]", wkt, StringComparison.Ordinal);
    }

    [Fact]
    public void Plausible_extent_tells_degrees_from_metres()
    {
        var tm3 = CrsRegistry.PlausibleExtent(Srid.HcmcTm3);
        var geographic = CrsRegistry.PlausibleExtent(Srid.Wgs84);

        Assert.True(tm3.Contains(604516.878, 1191009.621));
        Assert.False(tm3.Contains(106.7, 10.77));
        Assert.True(geographic.Contains(106.7, 10.77));
        Assert.False(geographic.Contains(604516.878, 1191009.621));
    }

    [Fact]
    public void A_gdal_wkt_with_an_epsg_authority_is_identified_by_it()
    {
        Assert.True(CrsRegistry.TryIdentify(CrsRegistry.Wkt(Srid.BrvtTm3), out var srid));

        Assert.Equal(Srid.BrvtTm3, srid);
    }

    [Fact]
    public void An_esri_prj_for_a_vn2000_tm3_zone_is_identified_by_its_parameters()
    {
        const string prj = """
            PROJCS["VN_2000_Custom_HCM",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],
            PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],
            PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.75],
            PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]
            """;

        Assert.True(CrsRegistry.TryIdentify(prj, out var srid));

        Assert.Equal(Srid.HcmcTm3, srid);
    }

    [Fact]
    public void An_esri_prj_named_like_an_epsg_zone_is_identified_by_name()
    {
        const string prj = """PROJCS["VN_2000_TM_3_zone_482",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9999],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],UNIT["Meter",1.0]]""";

        Assert.True(CrsRegistry.TryIdentify(prj, out var srid));

        Assert.Equal(Srid.HanoiTm3, srid);
    }

    [Theory]
    [InlineData("""GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""", 4326)]
    [InlineData("""GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""", 4756)]
    public void An_esri_geographic_prj_is_identified_by_its_datum(string prj, int expected)
    {
        Assert.True(CrsRegistry.TryIdentify(prj, out var srid));

        Assert.Equal(expected, srid);
    }

    [Theory]
    [InlineData("""PROJCS["Lambert-93",GEOGCS["RGF93",DATUM["Reseau_Geodesique_Francais_1993",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic_2SP"],PARAMETER["central_meridian",3],UNIT["metre",1]]""")]
    [InlineData("""PROJCS["local",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["Central_Meridian",105.6],PARAMETER["Scale_Factor",0.9999],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],UNIT["Meter",1.0]]""")]
    [InlineData("")]
    [InlineData("not a wkt")]
    public void An_unknown_prj_is_not_guessed(string prj)
    {
        Assert.False(CrsRegistry.TryIdentify(prj, out _));
    }
}
