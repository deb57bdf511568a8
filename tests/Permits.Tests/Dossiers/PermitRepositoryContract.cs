using HcmCity.Testing;
using HcmCity.Abstractions.Audit;
using System.Text.Json;
using HcmCity.Audit;
using HcmCity.Permits.Dossiers;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace HcmCity.Permits.Tests.Dossiers;

/// <summary>
/// What every <see cref="IPermitRepository"/> must do, run against memory and PostgreSQL. Each test works with
/// numbers and a unit of its own, so the suite can share a database.
/// </summary>
public abstract class PermitRepositoryContract
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract IPermitRepository Repository { get; }

    protected abstract IAuditTrail Audit { get; }

    protected static string NewUnit() => "u" + Guid.NewGuid().ToString("N")[..10];

    protected static string NewNumber() => "HS-T-" + Guid.NewGuid().ToString("N")[..12];

    protected static string NewCitizenId() => string.Concat(Enumerable.Range(0, 12).Select(_ => (char)('0' + Random.Shared.Next(10))));

    protected static readonly DateTimeOffset T0 = new(2026, 2, 10, 2, 0, 0, TimeSpan.Zero);

    protected static PermitRecord Dossier(string number, string unit, long applicantId, DateTimeOffset? submittedAt = null) => new(
        number, unit, ParcelId: 42, "new-construction",
        new PermitSitePlan(4, 15.5, 1, 6, """{"type":"Polygon","coordinates":[[[600000,1190000],[600005,1190000],[600005,1190016],[600000,1190016],[600000,1190000]]]}""", 9210),
        applicantId, "submitted", "citizen-1", "citizen", submittedAt ?? T0, submittedAt ?? T0, new DateOnly(2026, 2, 26),
        DeficiencyNotified: false, Warned: false, Overdue: false, PermitNumber: null,
        TrackingSecretHash: System.Security.Cryptography.SHA256.HashData("secret"u8), Version: 1, UpdatedAt: submittedAt ?? T0);

    protected static PermitEventRecord Submitted(PermitRecord d) =>
        new(d.Number, 1, "submit", "", "submitted", d.SubmittedBy, d.SubmittedRole, d.SubmittedAt, null);

    protected static string NewSubject() => "citizen-" + Guid.NewGuid().ToString("N")[..10];

    protected async Task<ApplicantProfile> ApplicantAsync() => await Repository.DeclareApplicantAsync(
        new ApplicantDeclaration(NewSubject(), NewCitizenId(), "Trần Thị Bình", "1 Lê Lợi, Bến Thành", "0901234567"), "citizen-1", "citizen", Ct);

    [Fact]
    public async Task A_created_dossier_reads_back_field_for_field_with_its_submission_event()
    {
        var applicant = await ApplicantAsync();
        var dossier = Dossier(NewNumber(), NewUnit(), applicant.Id);

        await Repository.CreateAsync(dossier, Submitted(dossier), Ct);
        var read = await Repository.GetAsync(dossier.Number, Ct);
        var history = await Repository.GetHistoryAsync(dossier.Number, Ct);

        Assert.NotNull(read);
        Assert.Equal(dossier with { SitePlan = read.SitePlan, TrackingSecretHash = read.TrackingSecretHash }, read);
        Assert.Equal(dossier.TrackingSecretHash, read.TrackingSecretHash);
        Assert.Equal(dossier.SitePlan with { FootprintGeoJson = "" }, read.SitePlan with { FootprintGeoJson = "" });
        Assert.True(Footprint(dossier).EqualsExact(Footprint(read), 1e-6));
        Assert.Equal([Submitted(dossier)], history);
    }

    [Fact]
    public async Task The_construction_phase_states_and_the_start_by_and_planned_start_dates_are_stored()
    {
        var applicant = await ApplicantAsync();
        var dossier = Dossier(NewNumber(), NewUnit(), applicant.Id) with { State = "approved", PermitNumber = "GP-26743-2026-000001" };
        await Repository.CreateAsync(dossier, Submitted(dossier) with { ToState = "approved" }, Ct);
        var expected = dossier;

        foreach (var (action, state) in new[] { ("issue-permit", "approved"), ("commence", "commenced"), ("suspend", "suspended"), ("resume", "commenced"), ("complete", "completed") })
        {
            var from = expected.State;
            expected = expected with
            {
                State = state, Version = expected.Version + 1, UpdatedAt = T0.AddDays(expected.Version),
                StartBy = new DateOnly(2027, 2, 10), PlannedStart = action == "issue-permit" ? null : new DateOnly(2026, 3, 2),
            };
            await Repository.SaveAsync(expected, new PermitEventRecord(expected.Number, expected.Version, action, from, state,
                "officer-1", "officer", expected.UpdatedAt, "lý do"), Ct);
        }
        var expiring = Dossier(NewNumber(), NewUnit(), applicant.Id) with { State = "approved", StartBy = new DateOnly(2026, 3, 31) };
        await Repository.CreateAsync(expiring, Submitted(expiring) with { ToState = "approved" }, Ct);
        var expired = expiring with { State = "expired", Version = 2, UpdatedAt = T0.AddDays(60) };
        await Repository.SaveAsync(expired, new PermitEventRecord(expired.Number, 2, "expire", "approved", "expired", "system", "system", expired.UpdatedAt, null), Ct);

        var read = await Repository.GetAsync(expected.Number, Ct);
        Assert.Equal((expected.State, expected.StartBy, expected.PlannedStart, expected.Version), (read!.State, read.StartBy, read.PlannedStart, read.Version));
        Assert.Equal(["submit", "issue-permit", "commence", "suspend", "resume", "complete"],
            (await Repository.GetHistoryAsync(expected.Number, Ct)).Select(e => e.Action));
        Assert.Equal(("expired", (DateOnly?)new DateOnly(2026, 3, 31)), ((await Repository.GetAsync(expired.Number, Ct))!.State, (await Repository.GetAsync(expired.Number, Ct))!.StartBy));
    }

    [Fact]
    public async Task A_taken_number_cannot_be_created_again()
    {
        var applicant = await ApplicantAsync();
        var dossier = Dossier(NewNumber(), NewUnit(), applicant.Id);
        await Repository.CreateAsync(dossier, Submitted(dossier), Ct);

        await Assert.ThrowsAsync<PermitConcurrencyException>(() => Repository.CreateAsync(dossier, Submitted(dossier), Ct));
        Assert.Single(await Repository.GetHistoryAsync(dossier.Number, Ct));
    }

    [Fact]
    public async Task Saving_appends_the_event_and_a_stale_version_is_refused_without_a_trace()
    {
        var applicant = await ApplicantAsync();
        var dossier = Dossier(NewNumber(), NewUnit(), applicant.Id);
        await Repository.CreateAsync(dossier, Submitted(dossier), Ct);
        var at = T0.AddHours(3);
        var appraisal = dossier with { State = "appraisal", Version = 2, UpdatedAt = at };
        var started = new PermitEventRecord(dossier.Number, 2, "start-appraisal", "submitted", "appraisal", "officer-1", "officer", at, null);

        await Repository.SaveAsync(appraisal, started, Ct);
        var stale = dossier with { State = "withdrawn", Version = 2 };
        await Assert.ThrowsAsync<PermitConcurrencyException>(() => Repository.SaveAsync(stale,
            new PermitEventRecord(dossier.Number, 2, "withdraw", "submitted", "withdrawn", "citizen-1", "citizen", at, null), Ct));

        Assert.Equal("appraisal", (await Repository.GetAsync(dossier.Number, Ct))!.State);
        Assert.Equal(["submit", "start-appraisal"], (await Repository.GetHistoryAsync(dossier.Number, Ct)).Select(e => e.Action));
    }

    [Fact]
    public async Task Unknown_numbers_have_no_dossier_and_no_history()
    {
        Assert.Null(await Repository.GetAsync(NewNumber(), Ct));
        Assert.Empty(await Repository.GetHistoryAsync(NewNumber(), Ct));
    }

    [Fact]
    public async Task Lists_hold_one_units_dossiers_newest_first_filtered_by_state_and_overdue()
    {
        var applicant = await ApplicantAsync();
        var unit = NewUnit();
        var older = Dossier(NewNumber(), unit, applicant.Id, T0);
        var newer = Dossier(NewNumber(), unit, applicant.Id, T0.AddDays(1));
        var elsewhere = Dossier(NewNumber(), NewUnit(), applicant.Id);
        foreach (var d in new[] { older, newer, elsewhere })
        {
            await Repository.CreateAsync(d, Submitted(d), Ct);
        }
        await Repository.SaveAsync(older with { Overdue = true, Version = 2 },
            new PermitEventRecord(older.Number, 2, "overdue", "submitted", "submitted", "system", "system", T0.AddDays(20), null), Ct);

        Assert.Equal([newer.Number, older.Number], (await Repository.ListAsync(new PermitListQuery(unit), Ct)).Select(d => d.Number));
        Assert.Equal([older.Number], (await Repository.ListAsync(new PermitListQuery(unit, Overdue: true), Ct)).Select(d => d.Number));
        Assert.Equal([newer.Number], (await Repository.ListAsync(new PermitListQuery(unit, Overdue: false), Ct)).Select(d => d.Number));
        Assert.Empty(await Repository.ListAsync(new PermitListQuery(unit, State: "approved"), Ct));
        Assert.Equal([older.Number], (await Repository.ListAsync(new PermitListQuery(unit, Limit: 1, Offset: 1), Ct)).Select(d => d.Number));
    }

    [Fact]
    public async Task An_owners_profile_is_declared_once_and_a_change_is_its_next_version_never_an_overwrite()
    {
        var (owner, cccd) = (NewSubject(), NewCitizenId());
        var first = await Repository.DeclareApplicantAsync(new(owner, cccd, "Lê Văn An", "5 Hai Bà Trưng", "0911111111"), owner, "citizen", Ct);
        var same = await Repository.DeclareApplicantAsync(new(owner, cccd, "Lê Văn An", "5 Hai Bà Trưng", "0911111111"), owner, "citizen", Ct);
        var moved = await Repository.DeclareApplicantAsync(new(owner, cccd, "Lê Văn An", "9 Pasteur", "0911111111"), owner, "citizen", Ct);

        Assert.Equal(first, same);
        Assert.Equal((owner, 1), (first.OwnerSubject, first.Version));
        Assert.Equal((owner, 2, "9 Pasteur"), (moved.OwnerSubject, moved.Version, moved.Address));
        Assert.NotEqual(first.Id, moved.Id);
        Assert.Equal(first, await Repository.GetApplicantAsync(first.Id, Ct));
        Assert.Equal(moved, await Repository.GetApplicantAsync(moved.Id, Ct));
        Assert.Equal(moved, await Repository.FindOwnApplicantAsync(owner, Ct));
        Assert.Null(await Repository.FindOwnApplicantAsync(NewSubject(), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Repository.DeclareApplicantAsync(new(owner, "12345", "x", "y", "z"), owner, "citizen", Ct));
    }

    [Fact]
    public async Task Another_owner_declaring_the_same_cccd_gets_a_profile_of_their_own_and_an_owner_keeps_one_cccd()
    {
        var (victim, intruder, cccd) = (NewSubject(), NewSubject(), NewCitizenId());
        var real = await Repository.DeclareApplicantAsync(new(victim, cccd, "Võ Thị Thật", "1 Lê Duẩn", "0900000001"), victim, "citizen", Ct);

        var forged = await Repository.DeclareApplicantAsync(new(intruder, cccd, "Kẻ Mạo Danh", "99 Ngõ Lạ", "0999999999"), intruder, "citizen", Ct);
        var counter = await Repository.DeclareApplicantAsync(new(null, cccd, "Võ Thị Thật", "1 Lê Duẩn", "0900000001"), "officer-1", "officer", Ct);

        Assert.NotEqual(real.Id, forged.Id);
        Assert.Equal((intruder, 1), (forged.OwnerSubject, forged.Version));
        Assert.Equal(real, await Repository.FindOwnApplicantAsync(victim, Ct));
        Assert.Equal(real, await Repository.GetApplicantAsync(real.Id, Ct));
        Assert.Equal((null, 1), (counter.OwnerSubject, counter.Version));
        Assert.NotEqual(real.Id, counter.Id);
        await Assert.ThrowsAsync<ApplicantIdentityException>(() =>
            Repository.DeclareApplicantAsync(new(victim, NewCitizenId(), "Võ Thị Thật", "1 Lê Duẩn", "0900000001"), victim, "citizen", Ct));
        Assert.Equal(real, await Repository.FindOwnApplicantAsync(victim, Ct));
    }

    [Fact]
    public async Task Every_write_is_audited_in_an_intact_chain_that_never_holds_personal_data()
    {
        var before = await LastSeqAsync();
        var cccd = NewCitizenId();
        var owner = NewSubject();
        var applicant = await Repository.DeclareApplicantAsync(new(owner, cccd, "Phạm Thị Riêng", "7 Đồng Khởi", "0987654321"), "citizen-1", "citizen", Ct);
        await Repository.DeclareApplicantAsync(new(owner, cccd, "Phạm Thị Riêng", "7 Đồng Khởi", "0987654321"), "citizen-1", "citizen", Ct);
        var dossier = Dossier(NewNumber(), NewUnit(), applicant.Id);
        await Repository.CreateAsync(dossier, Submitted(dossier), Ct);

        var entries = (await Audit.ReadAsync(before, 1000, Ct)).Where(e => e.Subject == dossier.Number || e.Subject == $"applicant:{applicant.Id}").ToList();

        Assert.Equal(["applicant.declared", "permit.submit"], entries.Select(e => e.Action));
        Assert.Equal("citizen-1", entries[1].Actor);
        Assert.Contains("\"to\":\"submitted\"", entries[1].Details, StringComparison.Ordinal);
        Assert.All(entries, e => Assert.DoesNotContain(cccd, e.Details, StringComparison.Ordinal));
        Assert.All(entries, e => Assert.DoesNotContain("Riêng", e.Details + e.Subject, StringComparison.Ordinal));
        Assert.True((await Audit.VerifyAsync(Ct)).IsIntact);
    }

    [Fact]
    public async Task Dossier_numbers_are_drawn_from_a_sequence_that_never_repeats()
    {
        var drawn = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Repository.NextDossierSequenceAsync(Ct)));

        Assert.Equal(20, drawn.Distinct().Count());
        Assert.All(drawn, n => Assert.True(n > 0));
    }

    private async Task<long> LastSeqAsync()
    {
        long last = 0;
        while (await Audit.ReadAsync(last, 1000, Ct) is { Count: > 0 } page)
        {
            last = page[^1].Seq;
        }
        return last;
    }

    private static Geometry Footprint(PermitRecord d) => JsonSerializer.Deserialize<Geometry>(d.SitePlan.FootprintGeoJson, GeoJson)!;
}

public sealed class InMemoryPermitRepositoryTests : PermitRepositoryContract
{
    private readonly InMemoryAuditTrail _audit = new();

    public InMemoryPermitRepositoryTests() => Repository = new InMemoryPermitRepository(_audit);

    protected override IPermitRepository Repository { get; }

    protected override IAuditTrail Audit => _audit;
}

public sealed class PostgresPermitRepositoryTests(PostgresFixture fixture)
    : PermitRepositoryContract, IClassFixture<PostgresFixture>
{
    protected override IPermitRepository Repository => new PostgresPermitRepository(fixture.Database.DataSource, new PostgresAuditTrail(fixture.Database.DataSource));

    protected override IAuditTrail Audit => new PostgresAuditTrail(fixture.Database.DataSource);
}
