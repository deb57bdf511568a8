using HcmCity.Abstractions.Permits;
using HcmCity.Permits.Calendar;

namespace HcmCity.Permits.Public;

/// <summary>
/// One row of the published processing figures (kết quả giải quyết thủ tục hành chính): a ward's dossiers of one
/// permit type. Counts only, never a person.
/// </summary>
/// <param name="Ward">Administrative unit code (the dossier's unit).</param>
/// <param name="Procedure">Permit type (Law 135/2025), e.g. new-construction.</param>
/// <param name="Received">Dossiers received (submitted) in the period.</param>
/// <param name="Resolved">Dossiers resolved (approved or refused) in the period, whenever received.</param>
/// <param name="ResolvedOnTime">Of those, resolved no later than their statutory deadline.</param>
/// <param name="Overdue">Dossiers received in the period, still being handled and past their deadline now.</param>
/// <param name="MedianDays">Median working days from receipt to resolution of the resolved ones; null when none.</param>
public sealed record ProcessingRow(
    string Ward, string Procedure, int Received, int Resolved, int ResolvedOnTime, int Overdue, double? MedianDays);

/// <summary>
/// Which figures to compute: optionally one ward and one permit type, a period of Vietnam dates (inclusive, open
/// ended when absent), and today's date, against which "overdue now" is judged.
/// </summary>
public sealed record ProcessingQuery(string? Ward, string? Procedure, DateOnly? From, DateOnly? To, DateOnly Today, WorkingDayIndex Days)
{
    /// <summary>The actions that resolve a dossier. Later phases of an approved permit do not resolve it again.</summary>
    public static readonly string[] ResolvingActions = [PermitWorkflow.Name(PermitAction.Approve), PermitWorkflow.Name(PermitAction.Refuse)];

    /// <summary>States in which the statutory clock runs: a dossier in one of them past its deadline is overdue.</summary>
    public static readonly string[] OpenStates =
        [.. Enum.GetValues<PermitState>().Where(PermitWorkflow.ClockRuns).Select(PermitWorkflow.Name)];

    public bool InPeriod(DateOnly date) => (From is null || date >= From) && (To is null || date <= To);

    /// <summary>
    /// The median as PostgreSQL's percentile_cont(0.5) gives it (the mean of the two middle values of an even count),
    /// so both stores answer alike.
    /// </summary>
    public static double? Median(List<int> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2.0;
    }
}

/// <summary>
/// The working-day calendar as a running count over the years of its holiday table, so that the working days
/// between two dates are one subtraction: the PostgreSQL query receives the counts as an array and computes
/// processing days in SQL by the same calendar as the statutory clock.
/// </summary>
public sealed class WorkingDayIndex
{
    private readonly int[] _counts;

    public WorkingDayIndex(VietnamWorkingCalendar calendar)
    {
        Origin = new DateOnly(calendar.Table.FirstYear, 1, 1);
        var end = new DateOnly(calendar.Table.LastYear, 12, 31);
        _counts = new int[end.DayNumber - Origin.DayNumber + 1];
        var count = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            count += calendar.IsWorkingDay(Origin.AddDays(i)) ? 1 : 0;
            _counts[i] = count;
        }
    }

    /// <summary>The first day the counts cover.</summary>
    public DateOnly Origin { get; }

    /// <summary>Working days in Origin..Origin+i inclusive, at index i.</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <summary>Working days in (<paramref name="from"/>, <paramref name="to"/>], as <see cref="VietnamWorkingCalendar.WorkingDaysBetween"/>.</summary>
    public int Between(DateOnly from, DateOnly to) => _counts[to.DayNumber - Origin.DayNumber] - _counts[from.DayNumber - Origin.DayNumber];
}
