using HcmCity.Permits.Calendar;
using Microsoft.Extensions.Options;

namespace HcmCity.Permits.Dossiers;

/// <summary>
/// The statutory clock of permit dossiers: deadlines in Vietnamese working days (<see cref="VietnamWorkingCalendar"/>)
/// and the instants at which officers are warned and a dossier becomes overdue. The time source is injected so tests
/// can move it.
/// </summary>
public sealed class PermitClock(VietnamWorkingCalendar calendar, TimeProvider time, IOptions<PermitOptions> options)
{
    private readonly PermitOptions _options = options.Value;

    /// <summary>Now, to the microsecond PostgreSQL keeps, so memory and database hold the same instants.</summary>
    public DateTimeOffset Now
    {
        get
        {
            var now = time.GetUtcNow();
            return new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);
        }
    }

    public DateOnly Today => VietnamWorkingCalendar.DateInVietnam(Now);

    /// <summary>Last day of the statutory period for a dossier complete at <paramref name="completeAt"/>.</summary>
    public DateOnly Deadline(DateTimeOffset completeAt) =>
        calendar.AddWorkingDays(VietnamWorkingCalendar.DateInVietnam(completeAt), _options.StatutoryWorkingDays);

    /// <summary>Working days left until the end of <paramref name="deadline"/>: 0 on the day itself, negative once past.</summary>
    public int DaysLeft(DateOnly deadline) => calendar.WorkingDaysBetween(Today, deadline);

    /// <summary>The start of the first day on which no more than <see cref="PermitOptions.WarningWorkingDays"/> working days are left.</summary>
    public DateTimeOffset WarnAt(DateOnly deadline)
    {
        var day = deadline;
        while (calendar.WorkingDaysBetween(day.AddDays(-1), deadline) <= _options.WarningWorkingDays)
        {
            day = day.AddDays(-1);
        }
        return VietnamWorkingCalendar.StartOfDayInVietnam(day);
    }

    /// <summary>The deadline day has ended in Vietnam.</summary>
    public DateTimeOffset OverdueAt(DateOnly deadline) => VietnamWorkingCalendar.StartOfDayInVietnam(deadline.AddDays(1));

    public TimeSpan CheckInterval => _options.CheckInterval;
}
