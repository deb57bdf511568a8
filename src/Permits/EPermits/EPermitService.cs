using System.Text;
using HcmCity.Abstractions.Permits;
using HcmCity.Gis.Parcels;
using HcmCity.Permits.Calendar;
using HcmCity.Permits.Dossiers;
using Microsoft.Extensions.Options;

namespace HcmCity.Permits.EPermits;

/// <summary>What an approved application asks to be issued.</summary>
/// <param name="HolderName">
/// The permit holder (chủ đầu tư), when the caller has it; RESTRICTED: only initials enter the signed permit.
/// </param>
/// <param name="HolderSubject">The holder's account id (token <c>sub</c>), so the holder can see their full permit.</param>
/// <param name="IssuerUnit">Unit of the issuing People's Committee; the parcel's unit when null.</param>
/// <param name="SiteConditions">The site conditions to sign (claims version 2); without them a version 1 permit, valid for <see cref="EPermitOptions.StartWithinMonths"/>.</param>
public sealed record PermitToIssue(
    string DossierNumber,
    long ParcelId,
    string Type,
    PermitScope Scope,
    IReadOnlyList<string> Conditions,
    string? HolderName = null,
    string? HolderSubject = null,
    string? IssuerUnit = null,
    PermitSiteConditions? SiteConditions = null);

public sealed record IssuedEPermit(string Number, string Jws, DateTimeOffset IssuedAt, DateTimeOffset ValidUntil);

/// <summary>
/// Issues, looks up, verifies and revokes electronic permits. Issuance is idempotent per dossier, so the approval
/// workflow may retry it.
/// </summary>
public sealed class EPermitService(
    IEPermitStore store,
    IPermitRepository dossiers,
    IParcelStore parcels,
    WardBoundaries wards,
    PermitSigningKeys keys,
    IOptions<EPermitOptions> options,
    TimeProvider time)
{
    public const int MaxReasonLength = 2000;

    /// <summary>The public keys that verify the platform's permits (published as the JWKS).</summary>
    public PermitKeySet PublicKeys => keys.Trusted;

    public EPermitOptions Options => options.Value;

    /// <exception cref="ArgumentException">A field of the request is empty or out of range, or the parcel is unknown.</exception>
    public async Task<IssuedEPermit> IssueAsync(PermitToIssue request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        var existing = await store.FindByDossierAsync(request.DossierNumber, cancellationToken);
        if (existing is not null)
        {
            return ToIssued(existing);
        }
        var parcel = await parcels.GetAsync(request.ParcelId, cancellationToken)
            ?? throw new ArgumentException($"No parcel has id {request.ParcelId}.", nameof(request));

        // JWT times are whole seconds; the register keeps the same instants so both always agree.
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        // Version 2 is valid to the end of its construction period's last day in Vietnam.
        var validUntil = request.SiteConditions is { } site
            ? VietnamWorkingCalendar.StartOfDayInVietnam(site.ValidUntil.AddDays(1)).ToUniversalTime()
            : now.ToOffset(EPermitOptions.VietnamOffset).AddMonths(options.Value.StartWithinMonths).ToUniversalTime();
        var unit = string.IsNullOrWhiteSpace(request.IssuerUnit) ? parcel.Key.Unit : request.IssuerUnit;
        var year = now.ToOffset(EPermitOptions.VietnamOffset).Year;
        var sequence = await store.NextSequenceAsync(unit, year, cancellationToken);
        var number = PermitNumbers.Format(unit, year, sequence);

        var claims = new PermitClaims
        {
            Number = number,
            Issuer = IssuerName(unit),
            IssuerUnit = unit,
            Dossier = request.DossierNumber,
            Parcel = new PermitParcel(parcel.Id, parcel.Key.Unit, parcel.Key.Sheet, parcel.Key.Number),
            Type = request.Type,
            Scope = request.Scope,
            Conditions = request.Conditions,
            HolderInitials = string.IsNullOrWhiteSpace(request.HolderName) ? null : Initials(request.HolderName),
            FormatVersion = request.SiteConditions is null ? null : PermitClaims.SiteConditionsVersion,
            SiteConditions = request.SiteConditions,
            IssuedAtUnix = now.ToUnixTimeSeconds(),
            ValidUntilUnix = validUntil.ToUnixTimeSeconds(),
        };
        var jws = PermitJws.Sign(claims, keys.Signing);
        var stored = await store.AddAsync(
            new StoredPermit(number, request.DossierNumber, unit, parcel.Id, now, validUntil, keys.Signing.KeyId, jws,
                request.HolderName?.Trim(), request.HolderSubject),
            cancellationToken);
        return ToIssued(stored);
    }

    public Task<StoredPermit?> GetAsync(string number, CancellationToken cancellationToken = default) =>
        store.GetAsync(number, cancellationToken);

    /// <summary>Verifies a JWS carried on paper or in a QR code against the keys and the register.</summary>
    /// <exception cref="MalformedPermitException">The text is not a permit JWS.</exception>
    public async Task<PermitVerification> VerifyAsync(string jws, CancellationToken cancellationToken = default)
    {
        var check = PermitJws.Check(jws, keys.Trusted, time.GetUtcNow());
        var registered = await store.GetAsync(check.Permit.Claims.Number, cancellationToken);
        return PermitVerification.Online(check, registered, await PhaseAsync(registered, cancellationToken));
    }

    /// <summary>Verifies the register's own copy of a permit; null when there is no such permit.</summary>
    public async Task<PermitVerification?> VerifyNumberAsync(string number, CancellationToken cancellationToken = default)
    {
        var registered = await store.GetAsync(number, cancellationToken);
        return registered is null
            ? null
            : PermitVerification.Online(PermitJws.Check(registered.Jws, keys.Trusted, time.GetUtcNow()), registered,
                await PhaseAsync(registered, cancellationToken));
    }

    /// <summary>
    /// The construction phase of the permit's dossier, and the event that brought it there; null when the register
    /// holds a permit with no dossier on record (issued outside the workflow).
    /// </summary>
    public async Task<PermitPhase?> PhaseAsync(StoredPermit? permit, CancellationToken cancellationToken = default)
    {
        if (permit is null || await dossiers.GetAsync(permit.DossierNumber, cancellationToken) is not { } dossier ||
            !PermitWorkflow.TryParseState(dossier.State, out var state) || !PermitWorkflow.InConstructionPhase(state))
        {
            return null;
        }
        var history = await dossiers.GetHistoryAsync(dossier.Number, cancellationToken);
        var last = history.LastOrDefault(e => e.ToState == dossier.State && e.FromState != dossier.State);
        return new PermitPhase(state, last?.At ?? dossier.UpdatedAt, last?.Reason);
    }

    /// <summary>Records and audits a revocation (the first one stands); null when there is no such permit.</summary>
    public Task<PermitRevocation?> RevokeAsync(string number, PermitActor revokedBy, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revokedBy);
        ArgumentException.ThrowIfNullOrWhiteSpace(revokedBy.Subject);
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength)
        {
            throw new ArgumentException($"A revocation needs a reason of 1 to {MaxReasonLength} characters.", nameof(reason));
        }
        var at = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        return store.RevokeAsync(number, new PermitRevocation(at, revokedBy.Subject, reason.Trim()), revokedBy.Role, cancellationToken);
    }

    public Task<IReadOnlyList<RevokedPermit>> ListRevocationsAsync(int limit, CancellationToken cancellationToken = default) =>
        store.ListRevocationsAsync(limit, cancellationToken);

    /// <summary>
    /// Individual houses are permitted by the commune/ward People's Committee (HCMC Decision 29/2025/QĐ-UBND), named
    /// after the unit when the ward list knows it.
    /// </summary>
    private string IssuerName(string unit)
    {
        var ward = wards.All.FirstOrDefault(w => w.Code == unit);
        return ward is null
            ? $"Ủy ban nhân dân cấp xã, mã đơn vị {unit}"
            : $"Ủy ban nhân dân {char.ToLowerInvariant(ward.Name[0])}{ward.Name[1..]}";
    }

    /// <summary>"Nguyễn Văn An" → "N.V.A.": enough for a reader to match the paper, not enough to identify anyone.</summary>
    public static string Initials(string name) =>
        string.Concat(name.Normalize(NormalizationForm.FormC)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(word => $"{char.ToUpperInvariant(word[0])}."));

    private static IssuedEPermit ToIssued(StoredPermit permit) =>
        new(permit.Number, permit.Jws, permit.IssuedAt, permit.ValidUntil);

    private static void Validate(PermitToIssue request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Require(!string.IsNullOrWhiteSpace(request.DossierNumber), "DossierNumber", "is empty");
        Require(PermitTypes.All.Contains(request.Type), "Type", $"must be one of {string.Join(", ", PermitTypes.All)}");
        Require(request.Scope is not null, "Scope", "is missing");
        Require(request.Scope!.Floors >= 1 && request.Scope.Basements >= 0, "Scope", "needs ≥1 floor and ≥0 basements");
        Require(request.Scope.HeightM > 0 && request.Scope.FootprintM2 > 0 && request.Scope.GrossFloorAreaM2 is null or > 0,
            "Scope", "needs a positive height and footprint");
        Require(request.Conditions is not null && request.Conditions.All(c => !string.IsNullOrWhiteSpace(c)),
            "Conditions", "must be a list of non-empty texts");
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"{field} {message}.", field);
        }
    }
}

/// <summary>Permit numbers: GP-{unit}-{year}-{sequence of 6 digits}, e.g. GP-26743-2026-000045.</summary>
public static class PermitNumbers
{
    public static string Format(string unit, int year, long sequence) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"GP-{unit}-{year:D4}-{sequence:D6}");

    /// <summary>Shape check before a lookup, so a route value is never sent to the database unchecked.</summary>
    public static bool IsWellFormed(string? number) =>
        number is { Length: >= 17 and <= 64 } &&
        number.StartsWith("GP-", StringComparison.Ordinal) &&
        number.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_');
}
