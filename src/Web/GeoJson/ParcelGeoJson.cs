using System.Globalization;
using System.Text.Json;
using HcmCity.Gis.Crs;
using HcmCity.Gis.Parcels;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace HcmCity.Web.GeoJson;

/// <summary>
/// The CRS coordinates are written in. <paramref name="LatitudeFirst"/> is only set for OGC API requests naming
/// EPSG:4326 itself, whose axis order is latitude, longitude (OGC API - Features Part 2, Req. 10); everything else,
/// including plain GeoJSON, is written x = longitude / easting first.
/// </summary>
public readonly record struct OutputCrs(int Srid, bool LatitudeFirst = false)
{
    /// <summary>RFC 7946 GeoJSON: WGS 84, longitude first.</summary>
    public static OutputCrs Crs84 { get; } = new(Gis.Crs.Srid.Wgs84);

    public bool IsCrs84 => Srid == Gis.Crs.Srid.Wgs84 && !LatitudeFirst;

    /// <summary>OGC URI of the CRS, as sent in <c>Content-Crs</c>.</summary>
    public string OgcUri => LatitudeFirst
        ? $"http://www.opengis.net/def/crs/EPSG/0/{Gis.Crs.Srid.Wgs84}"
        : CrsRegistry.OgcUri(Srid);
}

/// <summary>
/// Parcels as GeoJSON features. Writes only the public land-record fields: <see cref="Parcel.Personal"/> is
/// restricted (owner data) and never leaves the platform through this API.
/// </summary>
public static class ParcelGeoJson
{
    private static readonly JsonSerializerOptions GeometryOptions = new()
    {
        // RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise.
        Converters = { new GeoJsonConverterFactory(false, GeoJsonConverterFactory.DefaultIdPropertyName, RingOrientationOption.EnforceRfc9746) },
    };

    /// <summary>Writes one parcel as a GeoJSON Feature object.</summary>
    public static void WriteFeature(Utf8JsonWriter writer, Parcel parcel, OutputCrs crs)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(parcel);
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteNumber("id", parcel.Id);
        writer.WritePropertyName("geometry");
        WriteGeometry(writer, GeometryIn(parcel, crs));
        writer.WriteStartObject("properties");
        writer.WriteNumber("id", parcel.Id);
        writer.WriteString("unit", parcel.Key.Unit);
        writer.WriteString("sheet", parcel.Key.Sheet);
        writer.WriteString("number", parcel.Key.Number);
        writer.WriteString("landUse", parcel.LandUse);
        writer.WriteNumber("area", Math.Round(parcel.Area, 2));
        if (parcel.RegisteredArea is { } registered)
        {
            writer.WriteNumber("registeredArea", registered);
        }
        else
        {
            writer.WriteNull("registeredArea");
        }

        writer.WriteString("sourceCrs", string.Create(CultureInfo.InvariantCulture, $"EPSG:{parcel.SourceSrid}"));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes a FeatureCollection; <paramref name="writeMembers"/> adds foreign members (numberMatched, links...)
    /// before the features.
    /// </summary>
    public static async ValueTask WriteCollectionAsync(
        GeoJsonStream stream, IReadOnlyList<Parcel> parcels, OutputCrs crs, Action<Utf8JsonWriter> writeMembers)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(parcels);
        ArgumentNullException.ThrowIfNull(writeMembers);
        var writer = stream.Writer;
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writeMembers(writer);
        writer.WriteStartArray("features");
        foreach (var parcel in parcels)
        {
            WriteFeature(writer, parcel, crs);
            await stream.FlushIfFullAsync();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteGeometry(Utf8JsonWriter writer, Geometry geometry) =>
        JsonSerializer.Serialize(writer, geometry, GeometryOptions);

    /// <summary>
    /// The parcel's geometry in <paramref name="crs"/>: the stored WGS 84 or source geometry when it matches,
    /// else transformed from the surveyed source geometry (VN-2000 targets stay on one datum that way).
    /// </summary>
    public static Geometry GeometryIn(Parcel parcel, OutputCrs crs)
    {
        ArgumentNullException.ThrowIfNull(parcel);
        var geometry = crs.Srid switch
        {
            Srid.Wgs84 => parcel.Geometry,
            _ when crs.Srid == parcel.SourceSrid => parcel.SourceGeometry,
            Srid.WebMercator => CrsTransforms.Transform(parcel.Geometry, crs.Srid),
            _ => CrsTransforms.Transform(parcel.SourceGeometry, crs.Srid),
        };
        return crs.LatitudeFirst ? SwapAxes(geometry) : geometry;
    }

    private static Geometry SwapAxes(Geometry geometry)
    {
        var swapped = geometry.Copy();
        swapped.Apply(new AxisSwap());
        return swapped;
    }

    private sealed class AxisSwap : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var x = seq.GetX(i);
                seq.SetX(i, seq.GetY(i));
                seq.SetY(i, x);
            }
        }
    }
}
