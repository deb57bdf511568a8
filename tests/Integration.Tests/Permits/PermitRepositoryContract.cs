using HcmCity.Abstractions.Audit;
using System.Text.Json;
using HcmCity.Audit;
using HcmCity.Permits.Dossiers;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace HcmCity.Integration.Tests.Permits;

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

    protected async Task<ApplicantProfile> ApplicantAsync() =>
        await Repository.SaveApplicantAsync(NewCitizenId(), "Trần Thị Bình", "1 Lê Lợi, Bến Thành", "0901234567", "citizen-1", "citizen", Ct);

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
    public async Task An_applicant_is_declared_once_and_found_again_by_cccd()
    {
        var cccd = NewCitizenId();
        var first = await Repository.SaveApplicantAsync(cccd, "Lê Văn An", "5 Hai Bà Trưng", "0911111111", "citizen-1", "citizen", Ct);
        var again = await Repository.SaveApplicantAsync(cccd, "Lê Văn An", "9 Pasteur", "0911111111", "officer-1", "officer", Ct);

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(again, await Repository.FindApplicantAsync(cccd, Ct));
        Assert.Equal(again, await Repository.GetApplicantAsync(first.Id, Ct));
        Assert.Null(await Repository.FindApplicantAsync(NewCitizenId(), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Repository.SaveApplicantAsync("12345", "x", "y", "z", "a", "b", Ct));
    }

    [Fact]
    public async Task Every_write_is_audited_in_an_intact_chain_that_never_holds_personal_data()
    {
        var before = await LastSeqAsync();
        var cccd = NewCitizenId();
        var applicant = await Repository.SaveApplicantAsync(cccd, "Phạm Thị Riêng", "7 Đồng Khởi", "0987654321", "citizen-1", "citizen", Ct);
        await Repository.SaveApplicantAsync(cccd, "Phạm Thị Riêng", "7 Đồng Khởi", "0987654321", "citizen-1", "citizen", Ct);
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

public sealed class PostgresPermitRepositoryTests(Infrastructure.PostgresFixture fixture)
    : PermitRepositoryContract, IClassFixture<Infrastructure.PostgresFixture>
{
    protected override IPermitRepository Repository => new PostgresPermitRepository(fixture.Database.DataSource, new PostgresAuditTrail(fixture.Database.DataSource));

    protected override IAuditTrail Audit => new PostgresAuditTrail(fixture.Database.DataSource);
}
