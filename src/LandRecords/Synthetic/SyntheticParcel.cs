using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Synthetic;

/// <summary>
/// A generated parcel with what the compliance engine needs besides the land record: the width of the road in
/// front (lộ giới, "L" of HCMC Decision 56/2021/QĐ-UBND Appendix 18), the frontage along it and the lot depth,
/// all in metres.
/// </summary>
public sealed record SyntheticParcel(Parcel Parcel, double RoadWidth, string StreetName, double Frontage, double Depth);
