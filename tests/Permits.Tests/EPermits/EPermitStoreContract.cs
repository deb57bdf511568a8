using HcmCity.Abstractions.Audit;
using HcmCity.Audit;
using HcmCity.Testing;
using HcmCity.Permits.EPermits;

namespace HcmCity.Permits.Tests.EPermits;

/// <summary>
/// What every <see cref="IEPermitStore"/> must do, run against memory and PostgreSQL. Each test uses units and
/// dossier numbers of its own, so the suite can share a database with earlier runs.
/// </summary>
public abstract class EPermitStoreContract
{
    private static readonly DateTimeOffset IssuedAt = new(2026, 11, 25, 2, 30, 15, TimeSpan.Zero);

    protected abstract IEPermitStore CreateStore();

    /// <summary>The audit trail the store writes to.</summary>
    protected abstract IAuditTrail Audit { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewUnit() => "u" + Guid.NewGuid().ToString("N")[..10];

    private static StoredPermit Permit(string unit, long sequence, string? holder = "Trần Thị Bình") => new(
        PermitNumbers.Format(unit, 2026, sequence), $"HS-{unit}-{sequence}", unit, 4242, IssuedAt, IssuedAt.AddYears(1),
        "kid-1", $"h.p{sequence}.s", holder, holder is null ? null : "citizen-binh");

    [Fact]
    public async Task Sequences_count_from_one_per_unit_and_year()
    {
        var store = CreateStore();
        var unit = NewUnit();
        var other = NewUnit();

        var numbers = new[]
        {
            await store.NextSequenceAsync(unit, 2026, Ct), await store.NextSequenceAsync(unit, 2026, Ct),
            await store.NextSequenceAsync(unit, 2027, Ct), await store.NextSequenceAsync(other, 2026, Ct),
            await store.NextSequenceAsync(unit, 2026, Ct),
        };

        Assert.Equal([1L, 2, 1, 1, 3], numbers);
    }

    [Fact]
    public async Task Concurrent_sequence_requests_never_get_the_same_number()
    {
        var store = CreateStore();
        var unit = NewUnit();

        var numbers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => store.NextSequenceAsync(unit, 2026, Ct)));

        Assert.Equal(Enumerable.Range(1, 40).Select(n => (long)n), numbers.Order());
    }

    [Fact]
    public async Task An_added_permit_is_found_by_number_and_by_dossier_as_stored()
    {
        var store = CreateStore();
        var permit = Permit(NewUnit(), 1);

        var added = await store.AddAsync(permit, Ct);
        var byNumber = await store.GetAsync(permit.Number, Ct);
        var byDossier = await store.FindByDossierAsync(permit.DossierNumber, Ct);
        var missing = await store.GetAsync(permit.Number + "9", Ct);

        Assert.Equal(permit, added);
        Assert.Equal(permit, byNumber);
        Assert.Equal(permit, byDossier);
        Assert.Null(missing);
    }

    [Fact]
    public async Task A_permit_without_a_holder_name_round_trips()
    {
        var store = CreateStore();
        var permit = Permit(NewUnit(), 1, holder: null);

        await store.AddAsync(permit, Ct);

        Assert.Equal(permit, await store.GetAsync(permit.Number, Ct));
    }

    [Fact]
    public async Task A_second_permit_for_the_same_dossier_is_not_added_and_the_first_is_returned()
    {
        var store = CreateStore();
        var unit = NewUnit();
        var first = Permit(unit, 1);
        var second = Permit(unit, 2) with { DossierNumber = first.DossierNumber };

        await store.AddAsync(first, Ct);
        var returned = await store.AddAsync(second, Ct);

        Assert.Equal(first, returned);
        Assert.Null(await store.GetAsync(second.Number, Ct));
    }

    [Fact]
    public async Task A_revocation_is_recorded_once_with_who_when_and_why_and_listed()
    {
        var store = CreateStore();
        var permit = Permit(NewUnit(), 1);
        await store.AddAsync(permit, Ct);
        var revocation = new PermitRevocation(IssuedAt.AddDays(40), "officer-7", "Xây dựng sai nội dung giấy phép");

        var recorded = await store.RevokeAsync(permit.Number, revocation, "officer", Ct);
        var second = await store.RevokeAsync(permit.Number, new PermitRevocation(IssuedAt.AddDays(41), "officer-8", "Khác"), "officer", Ct);
        var unknown = await store.RevokeAsync(permit.Number + "9", revocation, "officer", Ct);
        var stored = await store.GetAsync(permit.Number, Ct);
        var listed = await store.ListRevocationsAsync(10_000, Ct);

        Assert.Equal(revocation, recorded);
        Assert.Equal(revocation, second);
        Assert.Null(unknown);
        Assert.Equal(permit with { Revocation = revocation }, stored);
        Assert.Contains(new RevokedPermit(permit.Number, revocation.RevokedAt, revocation.Reason), listed);
        Assert.DoesNotContain(listed, r => r.Number == permit.Number + "9");
    }

    [Fact]
    public async Task A_revocation_is_audited_once_with_the_officer_role_and_reason()
    {
        var store = CreateStore();
        var permit = Permit(NewUnit(), 1);
        await store.AddAsync(permit, Ct);
        var before = (await Audit.ReadAsync(0, int.MaxValue, Ct)).Count;
        var revocation = new PermitRevocation(IssuedAt.AddDays(40), "officer-7", "Xây dựng sai nội dung giấy phép");

        await store.RevokeAsync(permit.Number, revocation, "officer", Ct);
        await store.RevokeAsync(permit.Number, new PermitRevocation(IssuedAt.AddDays(41), "officer-8", "Khác"), "officer", Ct);
        await store.RevokeAsync(permit.Number + "9", revocation, "officer", Ct);
        var entries = await Audit.ReadAsync(0, int.MaxValue, Ct);

        var entry = Assert.Single(entries, e => e.Subject == permit.Number);
        Assert.Equal(("officer-7", "officer", "epermit.revoke"), (entry.Actor, entry.Role, entry.Action));
        Assert.Equal(revocation.RevokedAt, entry.At);
        Assert.Equal(revocation.Reason, System.Text.Json.JsonDocument.Parse(entry.Details).RootElement.GetProperty("reason").GetString());
        Assert.DoesNotContain(entries, e => e.Subject == permit.Number + "9");
        Assert.Equal(before + 1, entries.Count);
        Assert.True((await Audit.VerifyAsync(Ct)).IsIntact);
    }

    [Fact]
    public async Task Revocations_are_listed_most_recent_first()
    {
        var store = CreateStore();
        var unit = NewUnit();
        var older = Permit(unit, 1);
        var newer = Permit(unit, 2);
        await store.AddAsync(older, Ct);
        await store.AddAsync(newer, Ct);
        // Far in the future, so no other test's revocation comes between them.
        await store.RevokeAsync(older.Number, new PermitRevocation(new DateTimeOffset(2090, 1, 1, 0, 0, 0, TimeSpan.Zero), "o", "a"), "officer", Ct);
        await store.RevokeAsync(newer.Number, new PermitRevocation(new DateTimeOffset(2090, 1, 2, 0, 0, 0, TimeSpan.Zero), "o", "b"), "officer", Ct);

        var listed = (await store.ListRevocationsAsync(10_000, Ct)).Where(r => r.Number.Contains(unit, StringComparison.Ordinal));

        Assert.Equal([newer.Number, older.Number], listed.Select(r => r.Number));
    }
}

public sealed class InMemoryEPermitStoreTests : EPermitStoreContract
{
    private readonly InMemoryAuditTrail _audit = new();

    protected override IAuditTrail Audit => _audit;

    protected override IEPermitStore CreateStore() => new InMemoryEPermitStore(_audit);
}

public sealed class PostgresEPermitStoreTests(PostgresFixture fixture) : EPermitStoreContract, IClassFixture<PostgresFixture>
{
    private readonly PostgresAuditTrail _audit = new(fixture.Database.DataSource);

    protected override IAuditTrail Audit => _audit;

    protected override IEPermitStore CreateStore() => new PostgresEPermitStore(fixture.Database.DataSource, _audit);
}
