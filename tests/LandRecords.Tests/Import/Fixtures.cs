using System.Globalization;
using System.Text;
using System.Text.Json;
using HcmCity.Gis.Crs;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Writers;

namespace HcmCity.Gis.Tests.Import;

/// <summary>Writes small parcel files in a temporary folder, deleted with the fixture.</summary>
public sealed class Fixtures : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("hcmcity-import-").FullName;

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    /// <summary>A rectangle in metres: width × height with its lower-left corner at (x, y).</summary>
    public static double[][] Rectangle(double x, double y, double width, double height) =>
        [[x, y], [x + width, y], [x + width, y + height], [x, y + height], [x, y]];

    public static FixtureFeature Polygon(Dictionary<string, object?> properties, params double[][][] rings) =>
        new(properties, new { type = "Polygon", coordinates = rings });

    public static FixtureFeature MultiPolygon(Dictionary<string, object?> properties, params double[][][][] polygons) =>
        new(properties, new { type = "MultiPolygon", coordinates = polygons });

    public static FixtureFeature Point(Dictionary<string, object?> properties, double x, double y) =>
        new(properties, new { type = "Point", coordinates = new[] { x, y } });

    /// <summary>SHBANDO / SHTHUA / DIENTICH / KHLOAIDAT / XAID as the cadastral database exports them (numbers as doubles).</summary>
    public static Dictionary<string, object?> Cadastral(double sheet, double number, string landUse = "ODT", double? area = null, string unit = "26734") =>
        new() { ["XAID"] = unit, ["SHBANDO"] = sheet, ["SHTHUA"] = number, ["DIENTICH"] = area, ["KHLOAIDAT"] = landUse };

    /// <summary>A FeatureCollection; <paramref name="crs"/> becomes a GDAL-style named crs member when given.</summary>
    public string GeoJson(string name, string? crs, IEnumerable<FixtureFeature> features)
    {
        var path = Path.Combine(Directory, name);
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteString("name", Path.GetFileNameWithoutExtension(name));
        if (crs is not null)
        {
            writer.WritePropertyName("crs");
            JsonSerializer.Serialize(writer, new { type = "name", properties = new { name = crs } });
        }

        writer.WriteStartArray("features");
        foreach (var feature in features)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "Feature");
            writer.WritePropertyName("properties");
            JsonSerializer.Serialize(writer, feature.Properties);
            writer.WritePropertyName("geometry");
            if (feature.Geometry is string raw)
            {
                writer.WriteRawValue(raw, skipInputValidation: true);
            }
            else
            {
                JsonSerializer.Serialize(writer, feature.Geometry);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return path;
    }

    public string Text(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content, Encoding.UTF8);
        return path;
    }

    /// <summary>A polygon Shapefile with cadastral fields; a .prj is written when <paramref name="prj"/> is given.</summary>
    public string Shapefile(string name, string? prj, IEnumerable<(Geometry Geometry, IDictionary<string, object?> Attributes)> records)
    {
        var path = Path.Combine(Directory, name);
        var options = new ShapefileWriterOptions(ShapeType.Polygon) { Projection = prj, Encoding = Encoding.UTF8 };
        options.AddCharacterField("XAID", 10);
        options.AddNumericInt32Field("SHBANDO");
        options.AddNumericInt32Field("SHTHUA");
        options.AddNumericDoubleField("DIENTICH");
        options.AddCharacterField("KHLOAIDAT", 20);
        options.AddCharacterField("CHUSDUNG", 60);
        using (var writer = NetTopologySuite.IO.Esri.Shapefile.OpenWrite(path, options))
        {
            foreach (var (geometry, attributes) in records)
            {
                writer.Write(new Feature(geometry, new AttributesTable(attributes)));
            }
        }

        return path;
    }

    public static Polygon TmRectangle(int srid, double x, double y, double width, double height) =>
        GeometryFactories.For(srid).CreatePolygon([.. Rectangle(x, y, width, height).Select(p => new Coordinate(p[0], p[1]))]);

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <param name="Geometry">An object serialised as the geometry, or a string written as raw JSON.</param>
public sealed record FixtureFeature(Dictionary<string, object?> Properties, object? Geometry);
