namespace HcmCity.Abstractions.Permits;

/// <summary>
/// Issues the electronic construction permit (giấy phép xây dựng điện tử) of an approved dossier, verifiable by any
/// agency (Decree 217/2026 Art. 7). Implemented by the e-permit capability; when none is registered the approval is
/// still recorded and no e-permit is issued.
/// </summary>
public interface IPermitIssuer
{
    Task<IssuedPermit> IssueAsync(PermitApproval approval, CancellationToken cancellationToken = default);
}

/// <summary>An approved dossier, as the issuer needs it (no personal data).</summary>
/// <param name="Conditions">The site conditions the officer set (checked against the national limits), signed into the permit.</param>
[GenerateSerializer, Immutable]
public sealed record PermitApproval(
    [property: Id(0)] string DossierNumber,
    [property: Id(1)] string Unit,
    [property: Id(2)] long ParcelId,
    [property: Id(3)] string PermitType,
    [property: Id(4)] PermitSitePlanSummary SitePlan,
    [property: Id(5)] DateTimeOffset ApprovedAt,
    [property: Id(6)] PermitActor ApprovedBy,
    [property: Id(7)] string? Note,
    [property: Id(8)] PermitSiteConditions Conditions);

/// <param name="PermitNumber">Số giấy phép.</param>
/// <param name="StartBy">Construction must commence by the end of this day (Vietnam date).</param>
[GenerateSerializer, Immutable]
public sealed record IssuedPermit(
    [property: Id(0)] string PermitNumber,
    [property: Id(1)] DateOnly StartBy);
