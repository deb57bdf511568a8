namespace HcmCity.Sites.Simulator;

/// <summary>
/// A recorded sensor time series (chuỗi số liệu) the simulator replays: rows in time order, each with one value per
/// SenML name in <see cref="Names"/>. Replay loops: after the last row it starts again at the first.
/// </summary>
public sealed class SensorSeries
{
    private readonly long[] _offsets;

    /// <param name="source">Where the rows come from (a file name, or "synthetic"), for logs.</param>
    public SensorSeries(string source, IReadOnlyList<string> names, IEnumerable<SeriesRow> rows)
    {
        Source = source;
        Names = names;
        Rows = [.. rows.OrderBy(r => r.Time)];
        if (Rows.Count == 0)
        {
            throw new ArgumentException("A series needs at least one row.", nameof(rows));
        }
        if (Rows.Any(r => r.Values.Count != names.Count))
        {
            throw new ArgumentException("Every row needs one value per name.", nameof(rows));
        }
        var first = Rows[0].Time;
        _offsets = [.. Rows.Select(r => (r.Time - first).Ticks)];
        var span = Rows[^1].Time - first;
        // One loop lasts the recording plus one mean step, so the last row is shown as long as the others.
        Period = Rows.Count == 1 || span <= TimeSpan.Zero ? TimeSpan.FromMinutes(1) : span + span / (Rows.Count - 1);
    }

    public string Source { get; }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<SeriesRow> Rows { get; }

    /// <summary>How long one pass over the rows lasts in recorded time.</summary>
    public TimeSpan Period { get; }

    /// <summary>The row in force <paramref name="elapsed"/> of recorded time after row <paramref name="startRow"/>.</summary>
    public SeriesRow At(int startRow, TimeSpan elapsed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startRow);
        ArgumentOutOfRangeException.ThrowIfLessThan(elapsed, TimeSpan.Zero);
        var position = (_offsets[startRow % Rows.Count] + elapsed.Ticks % Period.Ticks) % Period.Ticks;
        var index = Array.BinarySearch(_offsets, position);
        return Rows[index >= 0 ? index : ~index - 1];
    }
}

/// <param name="Values">One value per name of the series, in the series' units.</param>
public sealed record SeriesRow(DateTimeOffset Time, IReadOnlyList<double> Values);
