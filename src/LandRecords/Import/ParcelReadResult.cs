using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Import;

/// <summary>What became of one feature of an import file: an <see cref="AcceptedParcel"/> or a <see cref="Rejection"/>.</summary>
/// <param name="FeatureIndex">Zero-based position of the feature in the file.</param>
public abstract record ParcelReadResult(long FeatureIndex);

/// <param name="Repaired">The geometry was invalid and was repaired (area changed by less than 1 %).</param>
public sealed record AcceptedParcel(long FeatureIndex, Parcel Parcel, bool Repaired) : ParcelReadResult(FeatureIndex);

/// <param name="Key">The parcel's key when the feature had one.</param>
/// <param name="Message">For the operator: what is wrong, with the values involved.</param>
public sealed record Rejection(long FeatureIndex, ParcelKey? Key, RejectionReason Reason, string Message) : ParcelReadResult(FeatureIndex)
{
    public override string ToString() => $"feature {FeatureIndex}{(Key is { } key ? $" ({key})" : "")}: {Reason}: {Message}";
}

public enum RejectionReason
{
    /// <summary>The feature could not be read (not a GeoJSON Feature, unreadable geometry).</summary>
    Malformed,
    EmptyGeometry,
    NotPolygonal,
    NonFiniteCoordinates,
    Unrepairable,
    OutOfRange,
    MissingUnit,
    MissingSheet,
    MissingNumber,
    DuplicateKey,
}

/// <summary>A batch ready for <see cref="IParcelStore.UpsertAsync"/>, with what was rejected and how far the file is read.</summary>
/// <param name="FeaturesRead">Features read from the file so far, for a progress bar against <see cref="ParcelFileReader.CountFeatures"/>.</param>
public sealed record ParcelImportBatch(IReadOnlyList<Parcel> Parcels, IReadOnlyList<Rejection> Rejections, int Repaired, long FeaturesRead);
