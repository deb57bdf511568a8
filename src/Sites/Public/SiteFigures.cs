namespace HcmCity.Sites.Public;

/// <summary>
/// One row of the published site figures: a ward's construction sites under monitoring in a month and their
/// confirmed violations. Counts only, never a person.
/// </summary>
/// <param name="Month">yyyy-MM, Vietnam time.</param>
/// <param name="SitesMonitored">Sites of the ward registered before the month ended.</param>
/// <param name="ConfirmedViolations">
/// Violation alerts raised in the month that an inspector acknowledged. Recorded violations on the permit (issue 12
/// part 3) do not exist yet; an acknowledgement is the inspector's confirmation until they do.
/// </param>
public sealed record SiteMonthRow(string Ward, string Month, int SitesMonitored, int ConfirmedViolations);

/// <summary>Figures of one month (its first day, Vietnam date), optionally of one ward.</summary>
public sealed record SiteFiguresQuery(string? Ward, DateOnly Month)
{
    /// <summary>Vietnam has kept UTC+7 without daylight saving since 1975. (PostgreSQL takes the bounds in UTC.)</summary>
    private static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    public DateTimeOffset Start => new(Month.ToDateTime(TimeOnly.MinValue), VietnamOffset);

    public DateTimeOffset End => new(Month.AddMonths(1).ToDateTime(TimeOnly.MinValue), VietnamOffset);

    public string MonthText => Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
