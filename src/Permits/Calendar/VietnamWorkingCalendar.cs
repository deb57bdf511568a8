namespace HcmCity.Permits.Calendar;

/// <summary>
/// Working days (ngày làm việc) of Vietnamese public administration: Monday to Friday, less the public holidays and
/// plus the make-up Saturdays of a <see cref="HolidayTable"/>. Statutory deadlines such as a permit's
/// "7 working days" (Decree 217/2026 Art. 54) are counted with it. Pure: the table is data, nothing here reads a clock.
/// </summary>
public sealed class VietnamWorkingCalendar
{
    /// <summary>Vietnam keeps one time zone, UTC+7, with no daylight saving.</summary>
    public static readonly TimeSpan UtcOffset = TimeSpan.FromHours(7);

    public VietnamWorkingCalendar(HolidayTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table;
    }

    /// <summary>The calendar of the holiday table embedded in this assembly.</summary>
    public static VietnamWorkingCalendar Default { get; } = new(HolidayTable.Embedded);

    public HolidayTable Table { get; }

    /// <summary>The calendar date in Vietnam at <paramref name="instant"/>.</summary>
    public static DateOnly DateInVietnam(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(UtcOffset).DateTime);

    /// <summary>Midnight starting <paramref name="date"/> in Vietnam.</summary>
    public static DateTimeOffset StartOfDayInVietnam(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), UtcOffset);

    /// <exception cref="DateOutsideHolidayTableException">The table does not cover the date's year.</exception>
    public bool IsWorkingDay(DateOnly date)
    {
        Table.EnsureCovers(date);
        if (Table.WorkingWeekends.Contains(date))
        {
            return true;
        }

        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Table.DaysOff.Contains(date);
    }

    /// <summary>
    /// The <paramref name="days"/>-th working day after <paramref name="start"/>; the start day itself is not counted,
    /// since a period counted in days begins on the day after the event (Civil Code 2015 Art. 147(1)).
    /// Zero days is <paramref name="start"/> itself.
    /// </summary>
    /// <exception cref="DateOutsideHolidayTableException">The count runs beyond the table's years.</exception>
    public DateOnly AddWorkingDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        Table.EnsureCovers(start);
        var date = start;
        var counted = 0;
        while (counted < days)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
            {
                counted++;
            }
        }

        return date;
    }

    /// <summary>
    /// Working days in (<paramref name="from"/>, <paramref name="to"/>]: how many working days pass from the end of
    /// <paramref name="from"/> to the end of <paramref name="to"/>; negative when <paramref name="to"/> is earlier.
    /// </summary>
    /// <exception cref="DateOutsideHolidayTableException">Either date is beyond the table's years.</exception>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        Table.EnsureCovers(from);
        Table.EnsureCovers(to);
        if (to < from)
        {
            return -WorkingDaysBetween(to, from);
        }

        var count = 0;
        for (var date = from.AddDays(1); date <= to; date = date.AddDays(1))
        {
            if (IsWorkingDay(date))
            {
                count++;
            }
        }

        return count;
    }
}

/// <summary>A date outside the years the holiday table covers: the calendar refuses to guess its holidays.</summary>
public sealed class DateOutsideHolidayTableException(DateOnly date, int firstYear, int lastYear)
    : Exception($"{date:yyyy-MM-dd} is outside the holiday table ({firstYear}-{lastYear}); add the year's holidays to the table.")
{
    public DateOnly Date { get; } = date;
}
