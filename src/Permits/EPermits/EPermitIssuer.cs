using System.Text.Json;
using HcmCity.Abstractions.Permits;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace HcmCity.Permits.EPermits;

/// <summary>
/// Issues the e-permit of an approved dossier: the approval's site plan becomes the permit's scope, the officer's
/// note its condition and the officer's site conditions its machine-readable conditions. Idempotent per dossier, so
/// an approval may be retried.
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
            IssuerUnit: approval.Unit,
            SiteConditions: approval.Conditions);
        var issued = await permits.IssueAsync(request, cancellationToken);
        // A retried approval gets the permit issued the first time, with the start-by date it was signed with.
        var signed = PermitJws.Decode(issued.Jws).Claims.SiteConditions ?? approval.Conditions;
        return new IssuedPermit(issued.Number, signed.StartBy);
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
