using System.Security.Claims;
using HcmCity.Abstractions.Permits;
using HcmCity.Web.Auth;
using HcmCity.Web.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HcmCity.Permits.EPermits;

/// <summary>
/// Electronic permits (giấy phép xây dựng điện tử): the permit as JSON and as a printable page with a QR code,
/// verification by number or by the JWS itself (paper, QR), the public keys as a JWKS for offline checks, and
/// revocation by officers. Public outputs never name the holder; the page does for the holder and officers.
/// </summary>
public static class EPermitsApi
{
    public const int MaxRevocationsListed = 1000;

    public static IEndpointRouteBuilder MapEPermitsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/permits").WithTags("E-permits");
        group.MapGet("/keys", GetKeys)
            .WithName("GetPermitKeys")
            .WithSummary("Khóa công khai ký giấy phép (JWKS) / Public keys that sign permits, as a JWK Set");
        group.MapGet("/revocations", ListRevocationsAsync)
            .WithName("ListPermitRevocations")
            .WithSummary("Danh sách giấy phép đã thu hồi / Revoked permits, most recent first");
        group.MapPost("/verify", VerifyJwsAsync)
            .WithName("VerifyPermitJws")
            .WithSummary("Kiểm tra giấy phép từ mã QR / Verify a permit JWS carried on paper or in a QR code");
        group.MapGet("/{no}", GetAsync)
            .WithName("GetPermit")
            .WithSummary("Giấy phép điện tử: nội dung, JWS, trạng thái / An e-permit: claims, JWS and status");
        group.MapGet("/{no}/verify", VerifyNumberAsync)
            .WithName("VerifyPermit")
            .WithSummary("Kiểm tra giấy phép theo số / Is this permit genuine, unaltered and still valid?");
        group.MapPost("/{no}/revocation", RevokeAsync)
            .RequireAuthorization(Roles.Officer)
            .WithName("RevokePermit")
            .WithSummary("Thu hồi giấy phép (cán bộ) / Revoke a permit (officer)");

        app.MapGet("/permits/verify", PermitPages.VerifyPage)
            .WithName("PermitVerifyPage")
            .WithTags("E-permits")
            .WithSummary("Trang kiểm tra giấy phép (mã QR mở trang này) / Verification page the QR code opens");
        app.MapGet("/permits/{no}", PermitPageAsync)
            .WithName("PermitPage")
            .WithTags("E-permits")
            .WithSummary("Giấy phép (trang in, có mã QR) / The permit as a printable page with its QR code");
        return app;
    }

    public static Ok<JwkSet> GetKeys(EPermitService permits, HttpResponse response)
    {
        // Agencies may cache the keys; a rotation publishes the new key next to the old one for longer than this.
        response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(permits.PublicKeys.ToJwks());
    }

    public static async Task<Ok<IReadOnlyList<RevokedPermit>>> ListRevocationsAsync(
        EPermitService permits, CancellationToken cancellationToken) =>
        TypedResults.Ok(await permits.ListRevocationsAsync(MaxRevocationsListed, cancellationToken));

    public static async Task<Ok<PermitVerification>> VerifyJwsAsync(
        VerifyRequest request, EPermitService permits, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Jws))
        {
            throw BadInputException.For("jws", "Cần JWS của giấy phép / the permit's JWS is required.");
        }
        try
        {
            return TypedResults.Ok(await permits.VerifyAsync(request.Jws, cancellationToken));
        }
        catch (MalformedPermitException e)
        {
            throw BadInputException.For("jws", e.Message);
        }
    }

    public static async Task<Results<Ok<PermitResponse>, ProblemHttpResult>> GetAsync(
        string no, EPermitService permits, ClaimsPrincipal user, HttpRequest request, CancellationToken cancellationToken)
    {
        var permit = await permits.GetAsync(Number(no), cancellationToken);
        if (permit is null)
        {
            return NotFound(no);
        }
        var verification = (await permits.VerifyNumberAsync(permit.Number, cancellationToken))!;
        return TypedResults.Ok(new PermitResponse(
            permit.Number,
            PermitJws.Decode(permit.Jws).Claims,
            permit.Jws,
            new PermitStatus(verification.Valid, verification.Revoked, verification.RevokedAt, verification.Reason,
                verification.ExpiresAt, verification.Problems, verification.Phase, verification.Suspended, verification.Completed,
                verification.Expired),
            MaySeeHolder(user, permit) ? permit.HolderName : null,
            PermitPages.PageUrl(permits.Options, request, permit.Number),
            PermitPages.VerifyUrl(permits.Options, request, permit.Jws)));
    }

    public static async Task<Results<Ok<PermitVerification>, ProblemHttpResult>> VerifyNumberAsync(
        string no, EPermitService permits, CancellationToken cancellationToken)
    {
        var verification = await permits.VerifyNumberAsync(Number(no), cancellationToken);
        return verification is null ? NotFound(no) : TypedResults.Ok(verification);
    }

    public static async Task<Results<Ok<RevocationResponse>, ProblemHttpResult>> RevokeAsync(
        string no, RevocationRequest request, EPermitService permits, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.Unit() is not { } unit)
        {
            return UserScope.NoUnit();
        }
        var number = Number(no);
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > EPermitService.MaxReasonLength)
        {
            throw BadInputException.For("reason",
                $"Cần lý do thu hồi (1–{EPermitService.MaxReasonLength} ký tự) / a reason of 1 to {EPermitService.MaxReasonLength} characters is required.");
        }
        var permit = await permits.GetAsync(number, cancellationToken);
        if (permit is null)
        {
            return NotFound(no);
        }
        // The People's Committee that issued a permit is the one that revokes it: an officer of another unit may not.
        if (unit != permit.Unit)
        {
            return UserScope.OutsideUnit("permit");
        }
        var officer = new PermitActor(
            user.FindFirstValue("sub") ?? user.Identity?.Name ?? "officer", user.FindFirstValue("role") ?? Roles.Officer, user.FindFirstValue("unit"));
        var recorded = (await permits.RevokeAsync(number, officer, request.Reason, cancellationToken))!;
        if (permit.Revocation is not null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Giấy phép đã bị thu hồi / Permit already revoked",
                detail: $"{number} was revoked on {recorded.RevokedAt:O}: {recorded.Reason}");
        }
        return TypedResults.Ok(new RevocationResponse(number, recorded.RevokedAt, recorded.RevokedBy, recorded.Reason));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> PermitPageAsync(
        string no, EPermitService permits, ClaimsPrincipal user, HttpRequest request, CancellationToken cancellationToken)
    {
        var permit = await permits.GetAsync(Number(no), cancellationToken);
        if (permit is null)
        {
            return NotFound(no);
        }
        var verification = (await permits.VerifyNumberAsync(permit.Number, cancellationToken))!;
        var html = PermitPages.Permit(permit, PermitJws.Decode(permit.Jws).Claims, verification,
            MaySeeHolder(user, permit), PermitPages.VerifyUrl(permits.Options, request, permit.Jws));
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>The holder's name is personal data: the holder and officers see it, the public sees initials.</summary>
    private static bool MaySeeHolder(ClaimsPrincipal user, StoredPermit permit) =>
        user.IsInRole(Roles.Officer) || user.IsInRole(Roles.Admin) ||
        (permit.HolderSubject is { Length: > 0 } holder && user.FindFirstValue("sub") == holder);

    private static string Number(string no) =>
        PermitNumbers.IsWellFormed(no)
            ? no
            : throw BadInputException.For("no", "Số giấy phép có dạng GP-<đơn vị>-<năm>-<số> / a permit number looks like GP-26743-2026-000045.");

    private static ProblemHttpResult NotFound(string no) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Không tìm thấy giấy phép / Permit not found",
        detail: $"No permit has number {no}.");
}

public sealed record VerifyRequest(string? Jws);

public sealed record RevocationRequest(string? Reason);

public sealed record RevocationResponse(string Number, DateTimeOffset RevokedAt, string RevokedBy, string Reason);

/// <param name="HolderName">Only for the holder and officers; null otherwise.</param>
public sealed record PermitResponse(
    string Number,
    PermitClaims Claims,
    string Jws,
    PermitStatus Status,
    string? HolderName,
    string Page,
    string VerifyUrl);

/// <param name="Phase">The construction phase on record: approved, commenced, suspended, completed or expired.</param>
public sealed record PermitStatus(
    bool Valid, bool Revoked, DateTimeOffset? RevokedAt, string? Reason, DateTimeOffset ExpiresAt, IReadOnlyList<string> Problems,
    string? Phase, bool Suspended, bool Completed, bool Expired);
