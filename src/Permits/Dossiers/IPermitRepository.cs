using HcmCity.Permits.Public;

namespace HcmCity.Permits.Dossiers;

/// <summary>
/// The system of record of permit dossiers: PostgreSQL when ConnectionStrings:Postgres is set, memory in embedded
/// mode; one contract test suite runs against both. Every write of a dossier or an applicant appends an audit
/// entry in the same transaction.
/// </summary>
public interface IPermitRepository
{
    /// <summary>A new number for the dossier sequence (HS-yyyy-NNNNNN), never reused.</summary>
    Task<long> NextDossierSequenceAsync(CancellationToken cancellationToken = default);

    /// <summary>The latest version of the profile owned by <paramref name="ownerSubject"/>, or null.</summary>
    Task<ApplicantProfile?> FindOwnApplicantAsync(string ownerSubject, CancellationToken cancellationToken = default);

    /// <summary>One version of a profile by its id.</summary>
    Task<ApplicantProfile?> GetApplicantAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a declaration: an owner's first profile (version 1), or, when it differs from the owner's latest, the
    /// next version (the latest is returned unchanged when it does not). A counter declaration (no owner) is always a
    /// profile of its own. Never changes a stored profile.
    /// </summary>
    /// <exception cref="ApplicantIdentityException">The owner's profile on file has another CCCD.</exception>
    Task<ApplicantProfile> DeclareApplicantAsync(ApplicantDeclaration declaration, string actorSubject, string actorRole,
        CancellationToken cancellationToken = default);

    /// <summary>Stores a new dossier (version 1) and its submission event.</summary>
    /// <exception cref="PermitConcurrencyException">The number is taken.</exception>
    Task CreateAsync(PermitRecord dossier, PermitEventRecord submitted, CancellationToken cancellationToken = default);

    /// <summary>Stores the dossier after <paramref name="evt"/>; <c>dossier.Version</c> must be the stored version + 1.</summary>
    /// <exception cref="PermitConcurrencyException">The stored version is not <c>dossier.Version - 1</c>.</exception>
    Task SaveAsync(PermitRecord dossier, PermitEventRecord evt, CancellationToken cancellationToken = default);

    Task<PermitRecord?> GetAsync(string number, CancellationToken cancellationToken = default);

    /// <summary>The dossier's events in order (empty for an unknown number).</summary>
    Task<IReadOnlyList<PermitEventRecord>> GetHistoryAsync(string number, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PermitRecord>> ListAsync(PermitListQuery query, CancellationToken cancellationToken = default);

    /// <summary>The published processing figures per ward and permit type (<see cref="ProcessingRow"/>), ordered by ward then type; rows with nothing to count are left out.</summary>
    Task<IReadOnlyList<ProcessingRow>> ProcessingFiguresAsync(ProcessingQuery query, CancellationToken cancellationToken = default);
}
