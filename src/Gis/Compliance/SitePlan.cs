using HcmCity.Gis.Parcels;
using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Compliance;

/// <summary>
/// The site plan (bản vẽ tổng mặt bằng) of an individual house, as submitted with a permit application.
/// Lengths are metres, areas m², geometry in the parcel's VN-2000 projected CRS.
/// </summary>
public sealed record SitePlan
{
    /// <summary>Building footprint (diện tích xây dựng) as a Polygon.</summary>
    public required Geometry Footprint { get; init; }

    /// <summary>Storeys above ground (số tầng).</summary>
    public required int Floors { get; init; }

    /// <summary>Height at the roof (chiều cao đỉnh mái), m.</summary>
    public required double Height { get; init; }

    /// <summary>Ground floor height including the mezzanine (tầng trệt + lửng), m.</summary>
    public double? GroundFloorHeight { get; init; }

    /// <summary>Width of the adjoining road or alley by its planned boundary (lộ giới), m.</summary>
    public required double RoadWidth { get; init; }

    public required AreaType AreaType { get; init; }

    /// <summary>Lot frontage (chiều rộng mặt tiền), m; derived from the parcel when absent.</summary>
    public double? Frontage { get; init; }

    /// <summary>Lot depth (chiều sâu), m; derived from the parcel when absent.</summary>
    public double? Depth { get; init; }

    /// <summary>The lot is in a central ward (phường trung tâm): one of the extra-floor conditions.</summary>
    public bool CentralWard { get; init; }

    /// <summary>The lot is on a commercial-service street (tuyến đường thương mại - dịch vụ).</summary>
    public bool CommercialStreet { get; init; }

    /// <summary>Balcony projection over the road boundary (ban công đưa ra), m; null when there is none.</summary>
    public double? BalconyProjection { get; init; }

    /// <summary>Sidewalk width (chiều rộng vỉa hè), m; 0 when there is none.</summary>
    public double? SidewalkWidth { get; init; }

    /// <summary>Gross floor area of all storeys (tổng diện tích sàn), m²; estimated when absent.</summary>
    public double? TotalFloorArea { get; init; }

    /// <summary>
    /// Optional line or point on the road boundary in the parcel's CRS. It tells the front of the lot from the
    /// rear; without it the rear is taken to be the short side the footprint stays farther from.
    /// </summary>
    public Geometry? RoadSide { get; init; }
}

/// <summary>What the checker needs of a parcel: its geometry in metres (VN-2000 projected) and its land use.</summary>
public sealed record ParcelFacts(Geometry Geometry, string LandUse)
{
    /// <summary>Uses the parcel's source geometry: areas and setbacks are measured in the VN-2000 projection.</summary>
    public static ParcelFacts From(Parcel parcel) => new(parcel.SourceGeometry, parcel.LandUse);
}
