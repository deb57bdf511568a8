using HcmCity.Gis.Crs;
using NetTopologySuite.Geometries;

using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Import;

/// <summary>
/// Turns one feature (geometry in the source CRS + attributes) into a parcel or a rejection. One instance per file:
/// it remembers the keys already read to reject duplicates.
/// </summary>
internal sealed class ParcelFeatureConverter(int sourceSrid, ParcelImportOptions options)
{
    private readonly HashSet<ParcelKey> _keys = [];

    // Sheet numbers, parcel numbers and units repeat across a file; sharing the strings keeps the key set small
    // for city-wide files of millions of parcels.
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    private readonly string? _unit = string.IsNullOrWhiteSpace(options.Unit) ? null : options.Unit.Trim();

    public int SourceSrid => sourceSrid;

    public ParcelReadResult Convert(long index, Geometry? geometry, IEnumerable<KeyValuePair<string, object?>> attributes)
    {
        string? sheet = null, number = null, unit = null, landUse = null;
        double? registeredArea = null;
        Dictionary<string, string>? personal = null;
        foreach (var (field, value) in attributes)
        {
            if (ParcelFields.Sheet.Matches(field))
            {
                sheet ??= ParcelFields.Text(value);
            }
            else if (ParcelFields.Number.Matches(field))
            {
                number ??= ParcelFields.Text(value);
            }
            else if (ParcelFields.Unit.Matches(field))
            {
                unit ??= ParcelFields.Text(value);
            }
            else if (ParcelFields.LandUse.Matches(field))
            {
                landUse ??= ParcelFields.Text(value)?.ToUpperInvariant();
            }
            else if (ParcelFields.RegisteredArea.Matches(field))
            {
                registeredArea ??= ParcelFields.Numeric(value);
            }
            else if (options.KeepPersonal && ParcelFields.Personal.Matches(field) && ParcelFields.Text(value) is { } text)
            {
                (personal ??= new(StringComparer.OrdinalIgnoreCase))[field] = text;
            }
        }

        unit = _unit ?? unit;
        if (unit is null)
        {
            return new Rejection(index, null, RejectionReason.MissingUnit, "No unit: the feature has no XAID/unit/commune value and no --unit was given.");
        }

        if (sheet is null)
        {
            return new Rejection(index, null, RejectionReason.MissingSheet, "No map sheet number (SHBANDO/sheet/map_sheet).");
        }

        if (number is null)
        {
            return new Rejection(index, null, RejectionReason.MissingNumber, "No parcel number (SHTHUA/parcel/number/parcel_no).");
        }

        var key = new ParcelKey(Share(unit), Share(sheet), Share(number));
        var check = ParcelGeometryValidator.Check(geometry, sourceSrid);
        if (check.Geometry is not { } source)
        {
            return new Rejection(index, key, check.Reason!.Value, check.Message!);
        }

        if (!_keys.Add(key))
        {
            return new Rejection(index, key, RejectionReason.DuplicateKey, $"Parcel {key} appears earlier in this file.");
        }

        var parcel = new Parcel
        {
            Key = key,
            LandUse = landUse ?? "",
            RegisteredArea = registeredArea,
            Area = ParcelArea.SquareMetres(source),
            SourceSrid = sourceSrid,
            SourceGeometry = source,
            Geometry = CrsTransforms.Transform(source, Srid.Wgs84),
            Personal = personal,
        };
        return new AcceptedParcel(index, parcel, check.Repaired);
    }

    private string Share(string text)
    {
        if (!_strings.TryGetValue(text, out var shared))
        {
            _strings[text] = shared = text;
        }

        return shared;
    }
}
