using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HcmCity.Permits.Calendar;

/// <summary>
/// Public holidays (ngày nghỉ lễ, Tết) and make-up working weekends by year, held as data (<c>vn-holidays.json</c>)
/// because the exact days off, Tết above all, are set each year by a Government decision, not by a formula
/// (Labour Code 2019 Art. 112 fixes only how many days). Covers a contiguous range of years and nothing outside it.
/// </summary>
public sealed class HolidayTable
{
    private const string EmbeddedResource = "HcmCity.Permits.Calendar.vn-holidays.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private HolidayTable(string version, IReadOnlyList<HolidayYear> years)
    {
        Version = version;
        Years = years;
        FirstYear = years[0].Year;
        LastYear = years[^1].Year;
        DaysOff = years.SelectMany(y => y.DaysOff).SelectMany(Days).ToFrozenSet();
        WorkingWeekends = years.SelectMany(y => y.WorkingWeekends).SelectMany(Days).ToFrozenSet();
    }

    /// <summary>The table embedded in HcmCity.Gis.</summary>
    public static HolidayTable Embedded { get; } = LoadEmbedded();

    /// <summary>Version of the table (the date it was last brought up to date).</summary>
    public string Version { get; }

    public int FirstYear { get; }

    public int LastYear { get; }

    public IReadOnlyList<HolidayYear> Years { get; }

    /// <summary>Every day off, weekend days inside a holiday range included.</summary>
    public IReadOnlySet<DateOnly> DaysOff { get; }

    /// <summary>Saturdays or Sundays worked in exchange for a bridged weekday (ngày làm bù).</summary>
    public IReadOnlySet<DateOnly> WorkingWeekends { get; }

    public bool Covers(DateOnly date) => date.Year >= FirstYear && date.Year <= LastYear;

    /// <exception cref="DateOutsideHolidayTableException">The table does not cover the date's year.</exception>
    public void EnsureCovers(DateOnly date)
    {
        if (!Covers(date))
        {
            throw new DateOutsideHolidayTableException(date, FirstYear, LastYear);
        }
    }

    /// <summary>Reads and checks a table: consecutive years, each range inside its year, make-up days on weekends.</summary>
    /// <exception cref="InvalidDataException">The table is malformed.</exception>
    public static HolidayTable Load(Stream json)
    {
        HolidayTableDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<HolidayTableDocument>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Holiday table is not valid JSON: {e.Message}", e);
        }

        if (document is null || string.IsNullOrWhiteSpace(document.Version) || document.Years is not { Count: > 0 } years)
        {
            throw new InvalidDataException("Holiday table needs a version and at least one year.");
        }

        var ordered = years.OrderBy(y => y.Year).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var year = ordered[i];
            if (i > 0 && year.Year != ordered[i - 1].Year + 1)
            {
                throw new InvalidDataException($"Holiday table years must be consecutive: {ordered[i - 1].Year} is followed by {year.Year}.");
            }

            foreach (var range in year.DaysOff.Concat(year.WorkingWeekends))
            {
                var to = range.To ?? range.From;
                if (range.From.Year != year.Year || to.Year != year.Year || to < range.From)
                {
                    throw new InvalidDataException($"Holiday range {range.From:yyyy-MM-dd}..{to:yyyy-MM-dd} ({range.Name}) is not inside {year.Year}.");
                }
            }

            foreach (var day in year.WorkingWeekends.SelectMany(Days))
            {
                if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                {
                    throw new InvalidDataException($"Make-up working day {day:yyyy-MM-dd} is a {day.DayOfWeek}, not a weekend day.");
                }
            }
        }

        return new HolidayTable(document.Version, ordered);
    }

    private static IEnumerable<DateOnly> Days(HolidayRange range)
    {
        for (var day = range.From; day <= (range.To ?? range.From); day = day.AddDays(1))
        {
            yield return day;
        }
    }

    private static HolidayTable LoadEmbedded()
    {
        using var stream = typeof(HolidayTable).Assembly.GetManifestResourceStream(EmbeddedResource)
            ?? throw new InvalidOperationException($"Embedded resource {EmbeddedResource} not found.");
        return Load(stream);
    }

    private sealed record HolidayTableDocument(string? Version, List<HolidayYear>? Years);
}

/// <param name="Status">"decided" when a Government decision fixed the days, "provisional" when derived from the Labour Code alone.</param>
/// <param name="Source">Where the days come from, marked [secondary] or [unconfirmed] as in regulations.md.</param>
public sealed record HolidayYear(
    [property: JsonRequired] int Year,
    [property: JsonRequired] string Status,
    [property: JsonRequired] string Source,
    [property: JsonRequired] IReadOnlyList<HolidayRange> DaysOff,
    [property: JsonRequired] IReadOnlyList<HolidayRange> WorkingWeekends);

/// <summary>Days <see cref="From"/>..<see cref="To"/> inclusive; one day when <see cref="To"/> is absent.</summary>
public sealed record HolidayRange(
    [property: JsonRequired] DateOnly From,
    DateOnly? To,
    [property: JsonRequired] string Name);
