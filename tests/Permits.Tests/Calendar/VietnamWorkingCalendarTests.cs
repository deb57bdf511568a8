using System.Text;
using HcmCity.Permits.Calendar;

namespace HcmCity.Gis.Tests.Calendar;

public sealed class VietnamWorkingCalendarTests
{
    private static readonly VietnamWorkingCalendar Calendar = VietnamWorkingCalendar.Default;

    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-02-16")] // Monday before Tết Bính Ngọ
    [InlineData("2026-02-17")] // mùng 1 Tết, a Tuesday
    [InlineData("2026-02-20")] // Friday inside the Tết break
    [InlineData("2026-01-01")] // Tết Dương lịch
    [InlineData("2026-04-27")] // Monday compensating Giỗ Tổ on Sunday 26/4
    [InlineData("2026-04-30")]
    [InlineData("2026-05-01")]
    [InlineData("2026-09-02")]
    [InlineData("2026-02-14")] // a Saturday
    [InlineData("2026-02-22")] // a Sunday
    public void Holidays_and_weekends_are_not_working_days(string date) => Assert.False(Calendar.IsWorkingDay(D(date)));

    [Theory]
    [InlineData("2026-02-13")] // last working day before Tết
    [InlineData("2026-02-23")] // first working day after Tết
    [InlineData("2026-04-28")]
    [InlineData("2025-04-26")] // Saturday worked in exchange for Friday 2/5/2025
    public void Ordinary_weekdays_and_make_up_saturdays_are_working_days(string date) => Assert.True(Calendar.IsWorkingDay(D(date)));

    [Fact]
    public void Seven_working_days_from_a_dossier_completed_before_tet_skip_the_whole_break()
    {
        // Thu 12, Fri 13 | Tết 14-22 | Mon 23 .. Thu 26.
        Assert.Equal(D("2026-02-26"), Calendar.AddWorkingDays(D("2026-02-10"), 7));
        Assert.Equal(D("2026-03-03"), Calendar.AddWorkingDays(D("2026-02-13"), 7));
    }

    [Fact]
    public void Counting_starts_the_day_after_the_event_even_when_it_falls_on_a_holiday()
    {
        Assert.Equal(D("2026-02-23"), Calendar.AddWorkingDays(D("2026-02-17"), 1));
        Assert.Equal(D("2026-03-03"), Calendar.AddWorkingDays(D("2026-02-21"), 7));
        Assert.Equal(D("2026-02-17"), Calendar.AddWorkingDays(D("2026-02-17"), 0));
    }

    [Fact]
    public void Working_days_between_count_the_end_day_and_not_the_start_day()
    {
        Assert.Equal(1, Calendar.WorkingDaysBetween(D("2026-02-13"), D("2026-02-23")));
        Assert.Equal(0, Calendar.WorkingDaysBetween(D("2026-02-13"), D("2026-02-22")));
        Assert.Equal(7, Calendar.WorkingDaysBetween(D("2026-02-10"), D("2026-02-26")));
        Assert.Equal(-7, Calendar.WorkingDaysBetween(D("2026-02-26"), D("2026-02-10")));
        Assert.Equal(0, Calendar.WorkingDaysBetween(D("2026-03-02"), D("2026-03-02")));
    }

    [Fact]
    public void Add_and_between_agree_over_every_start_day_of_2026()
    {
        for (var day = D("2026-01-01"); day.Year == 2026; day = day.AddDays(1))
        {
            var deadline = Calendar.AddWorkingDays(day, 7);
            Assert.Equal(7, Calendar.WorkingDaysBetween(day, deadline));
            Assert.True(Calendar.IsWorkingDay(deadline));
        }
    }

    [Fact]
    public void Dates_beyond_the_table_are_an_error_not_a_guess()
    {
        Assert.Throws<DateOutsideHolidayTableException>(() => Calendar.IsWorkingDay(D("2024-12-31")));
        Assert.Throws<DateOutsideHolidayTableException>(() => Calendar.IsWorkingDay(D("2029-01-02")));
        Assert.Throws<DateOutsideHolidayTableException>(() => Calendar.AddWorkingDays(D("2028-12-27"), 7));
        Assert.Throws<DateOutsideHolidayTableException>(() => Calendar.WorkingDaysBetween(D("2026-01-05"), D("2030-01-05")));
    }

    [Fact]
    public void Embedded_table_covers_2025_to_2028_and_every_lunar_new_year_is_a_day_off()
    {
        Assert.Equal(2025, Calendar.Table.FirstYear);
        Assert.Equal(2028, Calendar.Table.LastYear);
        foreach (var tet in new[] { "2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26" })
        {
            Assert.Contains(D(tet), Calendar.Table.DaysOff);
        }
        foreach (var hungKings in new[] { "2025-04-07", "2026-04-26", "2027-04-16", "2028-04-04" })
        {
            Assert.Contains(D(hungKings), Calendar.Table.DaysOff);
        }
    }

    [Fact]
    public void Vietnam_date_of_an_instant_is_taken_at_utc_plus_seven()
    {
        var lateUtc = new DateTimeOffset(2026, 2, 13, 18, 30, 0, TimeSpan.Zero);
        Assert.Equal(D("2026-02-14"), VietnamWorkingCalendar.DateInVietnam(lateUtc));
        Assert.Equal(new DateTimeOffset(2026, 2, 13, 17, 0, 0, TimeSpan.Zero), VietnamWorkingCalendar.StartOfDayInVietnam(D("2026-02-14")));
    }

    [Theory]
    [InlineData("""{"version":"x","years":[{"year":2025,"status":"decided","source":"s","daysOff":[],"workingWeekends":[]},{"year":2027,"status":"decided","source":"s","daysOff":[],"workingWeekends":[]}]}""")]
    [InlineData("""{"version":"x","years":[{"year":2025,"status":"decided","source":"s","daysOff":[],"workingWeekends":[{"from":"2025-04-28","name":"a Monday"}]}]}""")]
    [InlineData("""{"version":"x","years":[{"year":2025,"status":"decided","source":"s","daysOff":[{"from":"2025-12-31","to":"2026-01-01","name":"across years"}],"workingWeekends":[]}]}""")]
    [InlineData("""{"version":"x","years":[{"year":2025,"status":"decided","source":"s","workingWeekends":[]}]}""")]
    [InlineData("""{"version":"x","years":[]}""")]
    public void Malformed_tables_are_rejected_when_loaded(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        Assert.Throws<InvalidDataException>(() => HolidayTable.Load(stream));
    }
}
