using System.Runtime.CompilerServices;
using System.Text.Json;
using HcmCity.Gis.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;
using HcmCity.Gis.GeoJson;

using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Import;

/// <summary>
/// Reads cadastral parcel files, GeoJSON FeatureCollections (.geojson, .json) and ESRI Shapefiles (.shp), one
/// feature at a time, into parcels or rejections with a reason. Files of any size stream through; nothing but the
/// keys already seen (for duplicate detection) is kept.
/// </summary>
public static class ParcelFileReader
{
    /// <summary>Reads every feature of the file, in file order.</summary>
    /// <exception cref="UnknownCrsException">The file's or the option's CRS is not supported.</exception>
    /// <exception cref="InvalidDataException">
    /// Not a GeoJSON or Shapefile, not readable as a whole, or its CRS is unknown and no <see cref="ParcelImportOptions.Srid"/> was given.
    /// Single bad features are never exceptions: they come back as <see cref="Rejection"/>s.
    /// </exception>
    public static IAsyncEnumerable<ParcelReadResult> ReadAsync(string path, ParcelImportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Srid is { } srid && !CrsRegistry.IsSupported(srid))
        {
            throw new UnknownCrsException($"EPSG:{srid}");
        }

        return FormatOf(path) switch
        {
            FileFormat.GeoJson => ReadGeoJsonAsync(path, options, cancellationToken),
            _ => ReadShapefile(path, options, cancellationToken).ToAsyncEnumerable(),
        };
    }

    /// <summary>
    /// Parcels in batches of <see cref="ParcelImportOptions.BatchSize"/> for <see cref="IParcelStore.UpsertAsync"/>,
    /// each with the rejections met since the previous batch. The last batch may be smaller, or hold only rejections.
    /// </summary>
    public static async IAsyncEnumerable<ParcelImportBatch> ReadBatchesAsync(
        string path, ParcelImportOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        var parcels = new List<Parcel>(options.BatchSize);
        var rejections = new List<Rejection>();
        var repaired = 0;
        long read = 0;
        await foreach (var result in ReadAsync(path, options, cancellationToken).ConfigureAwait(false))
        {
            read++;
            switch (result)
            {
                case AcceptedParcel accepted:
                    parcels.Add(accepted.Parcel);
                    repaired += accepted.Repaired ? 1 : 0;
                    break;
                case Rejection rejection:
                    rejections.Add(rejection);
                    break;
            }

            if (parcels.Count == options.BatchSize)
            {
                yield return new ParcelImportBatch(parcels, rejections, repaired, read);
                parcels = new List<Parcel>(options.BatchSize);
                rejections = [];
                repaired = 0;
            }
        }

        if (parcels.Count > 0 || rejections.Count > 0)
        {
            yield return new ParcelImportBatch(parcels, rejections, repaired, read);
        }
    }

    /// <summary>Number of features in the file, for a progress bar; null when the file cannot be scanned.</summary>
    public static long? CountFeatures(string path)
    {
        try
        {
            if (FormatOf(path) == FileFormat.Shapefile)
            {
                using var shapefile = Shapefile.OpenRead(path);
                return shapefile.RecordCount;
            }

            using var stream = OpenStream(path);
            var splitter = new GeoJsonFeatureSplitter(stream, path);
            long count = 0;
            while (true)
            {
                switch (splitter.Next(out _))
                {
                    case GeoJsonFeatureSplitter.Step.Feature:
                        count++;
                        break;
                    case GeoJsonFeatureSplitter.Step.NeedMoreData:
                        splitter.Fill();
                        break;
                    default:
                        return count;
                }
            }
        }
        catch (Exception error) when (error is InvalidDataException or IOException or ShapefileException)
        {
            return null;
        }
    }

    /// <summary>
    /// The CRS the file declares (GeoJSON <c>crs</c> member, else WGS 84 per RFC 7946; Shapefile .prj), or null
    /// when a Shapefile has no recognisable .prj and the CRS must be given.
    /// </summary>
    public static int? FileSrid(string path)
    {
        if (FormatOf(path) == FileFormat.Shapefile)
        {
            return ShapefileSrid(path);
        }

        using var stream = OpenStream(path);
        var splitter = new GeoJsonFeatureSplitter(stream, path);
        while (splitter.Next(out _) == GeoJsonFeatureSplitter.Step.NeedMoreData)
        {
            splitter.Fill();
        }

        return GeoJsonSrid(splitter.Crs);
    }

    /// <summary>
    /// The CRS the file itself declares, as it is written (GeoJSON <c>crs</c> member before the features; Shapefile
    /// .prj, as the EPSG code it was identified as, or its WKT when it was not), or null when it declares none (RFC
    /// 7946 GeoJSON, which is WGS 84 by definition but says nothing; a Shapefile without .prj).
    /// </summary>
    public static string? DeclaredCrs(string path)
    {
        if (FormatOf(path) == FileFormat.Shapefile)
        {
            var prj = Path.ChangeExtension(path, ".prj");
            if (!File.Exists(prj))
            {
                return null;
            }
            var wkt = File.ReadAllText(prj);
            return CrsRegistry.TryIdentify(wkt, out var srid) ? $"EPSG:{srid}" : wkt;
        }

        using var stream = OpenStream(path);
        var splitter = new GeoJsonFeatureSplitter(stream, path);
        while (splitter.Next(out _) == GeoJsonFeatureSplitter.Step.NeedMoreData)
        {
            splitter.Fill();
        }

        return splitter.Crs;
    }

    private static async IAsyncEnumerable<ParcelReadResult> ReadGeoJsonAsync(
        string path, ParcelImportOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = OpenStream(path);
        var splitter = new GeoJsonFeatureSplitter(stream, path);
        ParcelFeatureConverter? converter = null;
        JsonSerializerOptions? geometryOptions = null;
        long index = 0;
        while (true)
        {
            var step = splitter.Next(out var feature);
            if (step == GeoJsonFeatureSplitter.Step.NeedMoreData)
            {
                await splitter.FillAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (step == GeoJsonFeatureSplitter.Step.End)
            {
                break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (converter is null)
            {
                // RFC 7946 files carry no crs and are WGS 84; GDAL writes its crs member before the features.
                var srid = options.Srid ?? GeoJsonSrid(splitter.Crs);
                converter = new ParcelFeatureConverter(srid, options);
                geometryOptions = new JsonSerializerOptions { Converters = { new GeoJsonConverterFactory(GeometryFactories.For(srid)) } };
            }

            yield return ReadGeoJsonFeature(feature, index++, converter, geometryOptions!);
        }

        if (splitter.CrsAfterFeatures && options.Srid is null && GeoJsonSrid(splitter.Crs) != (converter?.SourceSrid ?? Srid.Wgs84))
        {
            throw new InvalidDataException(
                $"{path}: the \"crs\" member ({splitter.Crs}) comes after the features, which were read as EPSG:{converter?.SourceSrid ?? Srid.Wgs84}; "
                + "give the CRS explicitly.");
        }
    }

    private static ParcelReadResult ReadGeoJsonFeature(ReadOnlyMemory<byte> json, long index, ParcelFeatureConverter converter, JsonSerializerOptions geometryOptions)
    {
        Geometry? geometry;
        List<KeyValuePair<string, object?>> attributes = [];
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (!root.TryGetProperty("type", out var type) || !type.ValueEquals("Feature"))
            {
                return new Rejection(index, null, RejectionReason.Malformed, "Not a GeoJSON Feature.");
            }

            geometry = root.TryGetProperty("geometry", out var geometryElement) && geometryElement.ValueKind != JsonValueKind.Null
                ? geometryElement.Deserialize<Geometry>(geometryOptions)
                : null;
            if (root.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in properties.EnumerateObject())
                {
                    attributes.Add(new(property.Name, Value(property.Value)));
                }
            }
        }
        catch (Exception error) when (GeoJsonInput.IsMalformed(error))
        {
            return new Rejection(index, null, RejectionReason.Malformed, $"Unreadable feature: {WithoutQuotedValues(error.Message)}");
        }

        return converter.Convert(index, geometry, attributes);
    }

    /// <summary>
    /// A reader's message without the values it quotes (GeoJSON: "(Value '…')", enums: "Requested value '…' was not
    /// found"): a value out of place may be personal data (an owner's name where the geometry belongs), and rejections
    /// are printed to import logs. Quoted JSON token types ('StartArray', 'String') stay: they say what is wrong. From
    /// the first other quote to the last one, everything is masked, so a value holding quotes is masked whole.
    /// </summary>
    private static string WithoutQuotedValues(string message)
    {
        var open = 0;
        while ((open = message.IndexOf('\'', open)) >= 0)
        {
            var close = message.IndexOf('\'', open + 1);
            if (close > open && IsTokenType(message.AsSpan(open + 1, close - open - 1)))
            {
                open = close + 1;
                continue;
            }

            var last = message.LastIndexOf('\'');
            return string.Concat(message.AsSpan(0, open), "'…'", last > open ? message.AsSpan(last + 1) : "");
        }

        return message;

        static bool IsTokenType(ReadOnlySpan<char> text) =>
            Enum.TryParse<JsonTokenType>(text, out var token) && text.SequenceEqual(token.ToString());
    }

    private static object? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetDouble(out var number) ? number : value.GetRawText(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    /// <summary>The Shapefile library reads synchronously; records are small and local, so this does not block for long.</summary>
    private static IEnumerable<ParcelReadResult> ReadShapefile(string path, ParcelImportOptions options, CancellationToken cancellationToken)
    {
        var srid = options.Srid
            ?? ShapefileSrid(path)
            ?? throw new InvalidDataException(
                $"{path}: no .prj, or a .prj that names no supported VN-2000/WGS 84 system; give the CRS explicitly (e.g. EPSG:{Srid.HcmcTm3}).");
        var converter = new ParcelFeatureConverter(srid, options);
        var readerOptions = new ShapefileReaderOptions
        {
            Factory = GeometryFactories.For(srid),
            // Invalid shapes come through as they are: the validator repairs or rejects them with a reason.
            GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes,
        };
        using var reader = OpenShapefile(path, readerOptions);
        long index = 0;
        while (reader.Read(out var deleted))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (deleted)
            {
                index++;
                continue;
            }

            var attributes = new List<KeyValuePair<string, object?>>(reader.Fields.Count);
            foreach (var field in reader.Fields)
            {
                attributes.Add(new(field.Name, field.Value));
            }

            yield return converter.Convert(index++, reader.Geometry, attributes);
        }
    }

    private static ShapefileReader OpenShapefile(string path, ShapefileReaderOptions options)
    {
        try
        {
            return Shapefile.OpenRead(path, options);
        }
        catch (ShapefileException error)
        {
            throw new InvalidDataException($"{path}: not a readable polygon Shapefile: {error.Message}", error);
        }
    }

    private static int GeoJsonSrid(string? crs) => crs is null ? Srid.Wgs84 : CrsRegistry.ParseSrid(crs);

    private static int? ShapefileSrid(string path)
    {
        var prj = Path.ChangeExtension(path, ".prj");
        return File.Exists(prj) && CrsRegistry.TryIdentify(File.ReadAllText(prj), out var srid) ? srid : null;
    }

    private static FileStream OpenStream(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan | FileOptions.Asynchronous);

    private enum FileFormat
    {
        GeoJson,
        Shapefile,
    }

    private static FileFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".geojson" or ".json" => FileFormat.GeoJson,
        ".shp" => FileFormat.Shapefile,
        _ => throw new InvalidDataException($"{path}: parcel files must be GeoJSON (.geojson, .json) or ESRI Shapefile (.shp)."),
    };
}
