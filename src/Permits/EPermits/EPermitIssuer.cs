using System.Text.Json;
using HcmCity.Abstractions.Permits;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace HcmCity.Permits.EPermits;

/// <summary>
/// Issues the e-permit of an approved dossier: the approval's site plan becomes the permit's scope, the officer's
/// note its condition. Idempotent per dossier, so an approval may be retried.
/// </summary>
public sealed class EPermitIssuer(EPermitService permits) : IPermitIssuer
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    public async Task<IssuedPermit> IssueAsync(PermitApproval approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var plan = approval.SitePlan;
        var request = new PermitToIssue(
            approval.DossierNumber,
            approval.ParcelId,
            approval.PermitType,
            new PermitScope(plan.Floors, plan.Basements, plan.Height, FootprintArea(plan.FootprintGeoJson)),
            string.IsNullOrWhiteSpace(approval.Note) ? [] : [approval.Note.Trim()],
            IssuerUnit: approval.Unit);
        var issued = await permits.IssueAsync(request, cancellationToken);
        return new IssuedPermit(issued.Number);
    }

    /// <summary>Footprint area in m²: the footprint is in the parcel's VN-2000 TM-3 projection, in metres.</summary>
    public static double FootprintArea(string footprintGeoJson)
    {
        Geometry? footprint;
        try
        {
            footprint = JsonSerializer.Deserialize<Geometry>(footprintGeoJson, GeoJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The site plan's footprint is not GeoJSON: {e.Message}", nameof(footprintGeoJson));
        }
        return footprint is { Area: > 0 } polygon
            ? Math.Round(polygon.Area, 2)
            : throw new ArgumentException("The site plan's footprint has no area.", nameof(footprintGeoJson));
    }
}
