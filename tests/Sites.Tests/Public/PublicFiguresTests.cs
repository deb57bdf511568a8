using HcmCity.Sites.Tests.Sites;
using HcmCity.Abstractions.Sites;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using HcmCity.Testing;
using HcmCity.Permits.Calendar;
using HcmCity.Permits.Dossiers;
using HcmCity.Permits.Public;
using HcmCity.Sites.Public;
using HcmCity.Sites.Records;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.Sites.Tests.Public;

/// <summary>
/// A platform holding 10,000 generated dossiers with known outcomes (spread over months, wards and permit types;
/// some resolved late, some overdue now, some stopped for supplements, some withdrawn) and sites with alerts, all
/// written through the repositories, so the published figures can be checked against the records.
/// </summary>
public class PublicFiguresFixture : IAsyncLifetime
{
    public const int Dossiers = 10_000;

    public static readonly string[] Wards = ["26734", "26737", "26740", "26743", "26746", "26749"];

    public static readonly string[] Types = ["new-construction", "repair-renovation", "relocation", "term-limited"];

    /// <summary>Personal data of the one applicant, which no public answer may contain.</summary>
    public const string ApplicantName = "Nguyễn Văn Công Khai";

    public const string ApplicantCitizenId = "079123456789";

    public const string OfficerSubject = "officer-public-figures";

    public PlatformInstance Platform { get; private set; } = null!;

    public List<PermitRecord> Records { get; } = [];

    public Dictionary<string, List<PermitEventRecord>> Events { get; } = [];

    public List<SiteRecord> Sites { get; } = [];

    public List<AlertView> Alerts { get; } = [];

    protected virtual Task<Dictionary<string, string?>> SettingsAsync() => Task.FromResult(new Dictionary<string, string?>());

    public virtual async ValueTask InitializeAsync()
    {
        Platform = await PlatformInstance.StartAsync(await SettingsAsync());
        var repository = Platform.Services.GetRequiredService<IPermitRepository>();
        var clock = Platform.Services.GetRequiredService<PermitClock>();
        var applicant = await repository.DeclareApplicantAsync(new ApplicantDeclaration("citizen-pf", ApplicantCitizenId, ApplicantName, "12 Nguyễn Huệ", "0909000111"), "citizen-pf", "citizen");
        var random = new Random(20261203);
        var now = clock.Now;
        var start = new DateTimeOffset(2026, 1, 2, 1, 0, 0, TimeSpan.Zero);
        var span = (now - start).TotalMinutes;
        for (var i = 0; i < Dossiers; i++)
        {
            var submitted = Micro(start.AddMinutes(random.NextDouble() * span));
            var number = $"HS-PF-{i:D6}";
            var dossier = new PermitRecord(number, Wards[random.Next(Wards.Length)], 1000 + i, Types[random.Next(Types.Length)],
                new PermitSitePlan(3, 12, 0, 6, """{"type":"Polygon","coordinates":[[[600000,1190000],[600005,1190000],[600005,1190016],[600000,1190000]]]}""", 9210),
                applicant.Id, "submitted", "citizen-pf", "citizen", submitted, submitted, clock.Deadline(submitted),
                false, false, false, null, new byte[32], 1, submitted);
            var events = new List<PermitEventRecord> { new(number, 1, "submit", "", "submitted", "citizen-pf", "citizen", submitted, null) };
            // Resolved or withdrawn from 1 hour to 20 calendar days after receipt: some within 7 working days, some late.
            var decidedAt = Micro(submitted.AddHours(1 + random.NextDouble() * 20 * 24));
            var outcome = random.Next(100);
            if (decidedAt > now && outcome < 85)
            {
                outcome = 90;
            }
            (dossier, events) = outcome switch
            {
                < 50 => Move(dossier, events, ("start-appraisal", "appraisal", submitted.AddMinutes(30)), ("approve", "approved", decidedAt),
                    ("issue", "approved", decidedAt.AddSeconds(1))),
                < 65 => Move(dossier, events, ("start-appraisal", "appraisal", submitted.AddMinutes(30)), ("refuse", "refused", decidedAt)),
                < 72 => Move(dossier, events, ("withdraw", "withdrawn", decidedAt)),
                < 80 => Move(dossier with { DeficiencyNotified = true, CompleteAt = null, Deadline = null }, events,
                    ("start-appraisal", "appraisal", submitted.AddMinutes(30)), ("notify-deficiency", "deficiency-notified", submitted.AddMinutes(60))),
                < 85 => Move(dossier with { CompleteAt = decidedAt, Deadline = clock.Deadline(decidedAt) }, events,
                    ("start-appraisal", "appraisal", submitted.AddMinutes(30)), ("notify-deficiency", "deficiency-notified", submitted.AddMinutes(60)),
                    ("supplement", "supplemented", decidedAt)),
                < 95 => Move(dossier, events, ("start-appraisal", "appraisal", submitted.AddMinutes(30))),
                _ => (dossier, events),
            };
            Records.Add(dossier);
            Events[number] = events;
        }
        await Parallel.ForEachAsync(Records, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (dossier, ct) =>
        {
            var events = Events[dossier.Number];
            var first = dossier with { State = "submitted", Version = 1, CompleteAt = dossier.SubmittedAt, Deadline = clock.Deadline(dossier.SubmittedAt), DeficiencyNotified = false };
            await repository.CreateAsync(first, events[0], ct);
            for (var seq = 2; seq <= events.Count; seq++)
            {
                var stored = seq == events.Count ? dossier : first with { State = events[seq - 1].ToState };
                await repository.SaveAsync(stored with { Version = seq, UpdatedAt = events[seq - 1].At }, events[seq - 1], ct);
            }
        });

        var sites = Platform.Services.GetRequiredService<ISiteRepository>();
        var months = Enumerable.Range(0, 4).Select(m => new DateTimeOffset(2026, 8 + m, 1, 0, 0, 0, TimeSpan.FromHours(7))).ToList();
        for (var i = 0; i < 40; i++)
        {
            var site = SiteRepositoryContract.Site(Wards[random.Next(Wards.Length)]) with
            {
                CreatedAt = Micro(months[random.Next(months.Count)].AddHours(random.Next(24 * 28))),
            };
            await sites.AddSiteAsync(site);
            Sites.Add(site);
            for (var a = 0; a < 6; a++)
            {
                var raised = Micro(site.CreatedAt.AddHours(random.Next(24 * 60)));
                var acknowledged = random.Next(2) == 0;
                var alert = new AlertView(Guid.NewGuid(), site.Id, "dev-pf", "laeq", random.Next(3) == 0 ? "warning" : "violation", 80, 70,
                    acknowledged ? AlertStates.Acknowledged : AlertStates.Raised, raised,
                    acknowledged ? raised.AddMinutes(5) : null, acknowledged ? "inspector-pf" : null);
                await sites.SaveAlertAsync(alert);
                Alerts.Add(alert);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Platform.DisposeAsync();
        await DisposeDatabaseAsync();
        GC.SuppressFinalize(this);
    }

    protected virtual ValueTask DisposeDatabaseAsync() => ValueTask.CompletedTask;

    private static DateTimeOffset Micro(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);

    private static (PermitRecord, List<PermitEventRecord>) Move(PermitRecord dossier, List<PermitEventRecord> events,
        params (string Action, string To, DateTimeOffset At)[] moves)
    {
        foreach (var (action, to, at) in moves)
        {
            events.Add(new(dossier.Number, events.Count + 1, action, events[^1].ToState, to, OfficerSubject, "officer", Micro(at), action == "refuse" ? "Sai quy hoạch" : null));
        }
        return (dossier with { State = moves[^1].To, Version = events.Count, UpdatedAt = Micro(moves[^1].At) }, events);
    }
}

public sealed class PostgresPublicFiguresFixture : PublicFiguresFixture
{
    private PostgresDatabase? _database;

    protected override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        _database = await PostgresDatabase.CreateAsync(CancellationToken.None);
        return new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = _database.ConnectionString };
    }

    protected override async ValueTask DisposeDatabaseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>
/// The published figures (công khai) equal what an independent computation over the same records gives, as JSON and
/// as CSV; bad filters are refused naming the field; no answer carries a field about a person.
/// </summary>
public abstract class PublicFiguresTests(PublicFiguresFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected PublicFiguresFixture Fixture => fixture;

    private static readonly string[] SiteFields = ["ward", "month", "sitesMonitored", "confirmedViolations"];

    private static readonly string[] ProcessingFields = ["ward", "procedure", "received", "resolved", "resolvedOnTime", "overdue", "medianDays"];

    [Theory]
    [InlineData("")]
    [InlineData("?ward=26737")]
    [InlineData("?procedure=repair-renovation")]
    [InlineData("?ward=26740&procedure=new-construction&from=2026-03-01&to=2026-06-30")]
    [InlineData("?from=2026-09-15")]
    [InlineData("?to=2026-02-28")]
    public async Task Processing_figures_equal_an_independent_count_of_the_records(string filter)
    {
        using var response = await fixture.Platform.Http.GetAsync("/api/public/processing" + filter, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var asOf = body.RootElement.GetProperty("asOf").GetDateTimeOffset();
        var actual = body.RootElement.GetProperty("rows").EnumerateArray().Select(Row).ToList();

        var expected = Expected(Query(filter), VietnamWorkingCalendar.DateInVietnam(asOf));

        Assert.True(expected.Count >= 1);
        Assert.Equal(expected, actual);
        if (filter == "")
        {
            Assert.Equal(PublicFiguresFixture.Dossiers, actual.Sum(r => r.Received));
            Assert.Contains(actual, r => r.Resolved > r.ResolvedOnTime);
            Assert.Contains(actual, r => r.Overdue > 0);
        }
    }

    [Fact]
    public async Task Processing_csv_has_the_same_rows_as_json()
    {
        var json = await fixture.Platform.Http.GetStringAsync("/api/public/processing?from=2026-02-01", Ct);
        using var response = await fixture.Platform.Http.GetAsync("/api/public/processing?from=2026-02-01&format=csv", Ct);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(string.Join(',', ProcessingFields), lines[0]);
        using var body = JsonDocument.Parse(json);
        var rows = body.RootElement.GetProperty("rows").EnumerateArray().Select(Row)
            .Select(r => string.Join(',', r.Ward, r.Procedure, r.Received, r.Resolved, r.ResolvedOnTime, r.Overdue,
                r.MedianDays?.ToString(CultureInfo.InvariantCulture) ?? ""));
        Assert.Equal(rows, lines.Skip(1));
    }

    [Fact]
    public async Task Site_figures_equal_an_independent_count_in_json_and_csv()
    {
        foreach (var month in new[] { "2026-08", "2026-09", "2026-10", "2026-11" })
        {
            using var body = JsonDocument.Parse(await fixture.Platform.Http.GetStringAsync($"/api/public/sites?month={month}", Ct));
            var actual = body.RootElement.GetProperty("rows").EnumerateArray()
                .Select(r => (r.GetProperty("ward").GetString()!, r.GetProperty("month").GetString()!,
                    r.GetProperty("sitesMonitored").GetInt32(), r.GetProperty("confirmedViolations").GetInt32()))
                .ToList();
            var first = new DateTimeOffset(DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(7));
            var end = first.AddMonths(1);
            var expected = fixture.Sites.Where(s => s.CreatedAt < end).GroupBy(s => s.Ward)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, month, g.Count(), fixture.Alerts.Count(a =>
                    g.Any(s => s.Id == a.SiteId) && a.Severity == "violation" && a.AcknowledgedAt is not null && a.RaisedAt >= first && a.RaisedAt < end)))
                .ToList();
            Assert.Equal(expected, actual);

            var csv = await fixture.Platform.Http.GetStringAsync($"/api/public/sites?month={month}&format=csv", Ct);
            string[] expectedCsv = ["ward,month,sitesMonitored,confirmedViolations", .. expected.Select(r => $"{r.Item1},{r.Item2},{r.Item3},{r.Item4}")];
            Assert.Equal(expectedCsv, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [Theory]
    [InlineData("/api/public/processing?from=2026-13-01", "from")]
    [InlineData("/api/public/processing?to=yesterday", "to")]
    [InlineData("/api/public/processing?from=2026-05-01&to=2026-04-01", "to")]
    [InlineData("/api/public/processing?procedure=demolition", "procedure")]
    [InlineData("/api/public/processing?ward=26734%27;--", "ward")]
    [InlineData("/api/public/processing?format=xml", "format")]
    [InlineData("/api/public/sites?month=2026-1", "month")]
    [InlineData("/api/public/sites?month=2026-13", "month")]
    [InlineData("/api/public/sites?ward=a%3Cb", "ward")]
    [InlineData("/api/public/sites?format=pdf", "format")]
    public async Task A_bad_filter_is_a_problem_naming_the_field(string path, string field)
    {
        using var response = await fixture.Platform.Http.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
    }

    [Fact]
    public async Task Answers_are_anonymous_cacheable_and_carry_no_field_about_a_person()
    {
        foreach (var path in new[] { "/api/public/processing", "/api/public/sites?month=2026-10" })
        {
            using var response = await fixture.Platform.Http.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl is { Public: true, MaxAge: not null });
            var etag = response.Headers.ETag;
            Assert.NotNull(etag);
            var text = await response.Content.ReadAsStringAsync(Ct);
            foreach (var personal in new[] { PublicFiguresFixture.ApplicantName, PublicFiguresFixture.ApplicantCitizenId, "0909000111",
                "citizen-pf", PublicFiguresFixture.OfficerSubject, "inspector-pf", "HS-PF-", "applicant", "submittedBy", "acknowledgedBy" })
            {
                Assert.DoesNotContain(personal, text, StringComparison.OrdinalIgnoreCase);
            }
            using var body = JsonDocument.Parse(text);
            Assert.Equal(new[] { "asOf", "rows" }, body.RootElement.EnumerateObject().Select(p => p.Name));
            var fields = body.RootElement.GetProperty("rows").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Distinct().ToList();
            Assert.Equal(path.Contains("processing", StringComparison.Ordinal) ? ProcessingFields : SiteFields, fields);

            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(etag);
            using var notModified = await fixture.Platform.Http.SendAsync(again, Ct);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
    }

    private static ProcessingRow Row(JsonElement r) => new(
        r.GetProperty("ward").GetString()!, r.GetProperty("procedure").GetString()!, r.GetProperty("received").GetInt32(),
        r.GetProperty("resolved").GetInt32(), r.GetProperty("resolvedOnTime").GetInt32(), r.GetProperty("overdue").GetInt32(),
        r.GetProperty("medianDays").ValueKind == JsonValueKind.Null ? null : r.GetProperty("medianDays").GetDouble());

    private static Dictionary<string, string> Query(string filter) =>
        filter.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    /// <summary>The figures computed from the generated records alone, with the calendar's own day counting.</summary>
    private List<ProcessingRow> Expected(Dictionary<string, string> filter, DateOnly today)
    {
        var calendar = VietnamWorkingCalendar.Default;
        DateOnly? from = filter.TryGetValue("from", out var f) ? DateOnly.Parse(f, CultureInfo.InvariantCulture) : null;
        DateOnly? to = filter.TryGetValue("to", out var t) ? DateOnly.Parse(t, CultureInfo.InvariantCulture) : null;
        bool InPeriod(DateOnly d) => (from is null || d >= from) && (to is null || d <= to);
        var rows = new List<ProcessingRow>();
        foreach (var group in fixture.Records
            .Where(d => (!filter.TryGetValue("ward", out var w) || d.Unit == w) && (!filter.TryGetValue("procedure", out var p) || d.PermitType == p))
            .GroupBy(d => (d.Unit, d.PermitType))
            .OrderBy(g => g.Key.Unit, StringComparer.Ordinal).ThenBy(g => g.Key.PermitType, StringComparer.Ordinal))
        {
            int received = 0, resolved = 0, onTime = 0, overdue = 0;
            var days = new List<int>();
            foreach (var d in group)
            {
                var receivedOn = VietnamWorkingCalendar.DateInVietnam(d.SubmittedAt);
                var decision = fixture.Events[d.Number].FirstOrDefault(e => e.Action is "approve" or "refuse");
                if (InPeriod(receivedOn))
                {
                    received++;
                    if (decision is null && d.State is "submitted" or "appraisal" or "supplemented" && d.Deadline < today)
                    {
                        overdue++;
                    }
                }
                if (decision is not null && VietnamWorkingCalendar.DateInVietnam(decision.At) is var resolvedOn && InPeriod(resolvedOn))
                {
                    resolved++;
                    onTime += resolvedOn <= d.Deadline ? 1 : 0;
                    days.Add(calendar.WorkingDaysBetween(receivedOn, resolvedOn));
                }
            }
            if (received + resolved > 0)
            {
                days.Sort();
                double? median = days.Count == 0 ? null
                    : days.Count % 2 == 1 ? days[days.Count / 2] : (days[days.Count / 2 - 1] + days[days.Count / 2]) / 2.0;
                rows.Add(new ProcessingRow(group.Key.Unit, group.Key.PermitType, received, resolved, onTime, overdue, median));
            }
        }
        return rows;
    }
}

public sealed class EmbeddedPublicFiguresTests(PublicFiguresFixture fixture)
    : PublicFiguresTests(fixture), IClassFixture<PublicFiguresFixture>
{
    [Fact]
    public void Figures_come_from_memory_in_embedded_mode() =>
        Assert.IsType<InMemoryPermitRepository>(Fixture.Platform.Services.GetRequiredService<IPermitRepository>());
}

public sealed class PostgresPublicFiguresTests(PostgresPublicFiguresFixture fixture)
    : PublicFiguresTests(fixture), IClassFixture<PostgresPublicFiguresFixture>
{
    [Fact]
    public void Figures_come_from_postgresql() =>
        Assert.IsType<PostgresPermitRepository>(Fixture.Platform.Services.GetRequiredService<IPermitRepository>());
}
