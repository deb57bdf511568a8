using HcmCity.Abstractions.Sensors;
using HcmCity.Abstractions.Sites;
using HcmCity.Sites.Records;

namespace HcmCity.Sites.Monitoring;

/// <summary>
/// The judgement of one sensor's readings against its site's permit conditions, free of Orleans so it can be
/// tested alone. Keeps the rolling windows each limit is defined over and applies hysteresis: a level is raised
/// after <see cref="MonitoringOptions.RaiseAfter"/> consecutive evaluations over its threshold and cleared after
/// <see cref="MonitoringOptions.ClearAfter"/> consecutive evaluations below threshold minus margin.
/// </summary>
public sealed class SensorMonitor
{
    /// <summary>
    /// Ho Chi Minh City time: UTC+7 without daylight saving (since 1975), so periods need no time-zone database.
    /// </summary>
    public static readonly TimeSpan LocalOffset = TimeSpan.FromHours(7);

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    private readonly SiteConditions _conditions;
    private readonly MonitoringOptions _options;
    private readonly IReadOnlyList<string> _names;
    private readonly Dictionary<string, Hysteresis> _levels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (MovingMean Hour, MovingMean Day)> _pm = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _newest = new(StringComparer.Ordinal);
    private EnergyMean _laeq = new();
    private DateTimeOffset _laeqPeriodStart = DateTimeOffset.MinValue;

    public SensorMonitor(string kind, SiteConditions conditions, MonitoringOptions options, IReadOnlyDictionary<string, MetricLevel>? levels = null)
    {
        _conditions = conditions;
        _options = options;
        _names = SensorKinds.NamesOf(kind);
        foreach (var name in _names)
        {
            _levels[name] = new Hysteresis(levels?.GetValueOrDefault(name) ?? MetricLevel.Ok);
        }
        foreach (var name in _names.Where(n => n is "pm10" or "pm25"))
        {
            _pm[name] = (new MovingMean(Hour), new MovingMean(Day));
        }
    }

    private SensorMonitor(SensorMonitor other)
    {
        _conditions = other._conditions;
        _options = other._options;
        _names = other._names;
        _levels = other._levels.ToDictionary(l => l.Key, l => l.Value.Copy(), StringComparer.Ordinal);
        _pm = other._pm.ToDictionary(p => p.Key, p => (p.Value.Hour.Copy(), p.Value.Day.Copy()), StringComparer.Ordinal);
        _newest = new Dictionary<string, DateTimeOffset>(other._newest, StringComparer.Ordinal);
        _laeq = other._laeq.Copy();
        _laeqPeriodStart = other._laeqPeriodStart;
    }

    /// <summary>
    /// An independent copy to judge readings on: the Sensor grain keeps it only once the level changes it found are
    /// stored, so readings whose alert could not be stored are judged again when the broker sends them again.
    /// </summary>
    public SensorMonitor Copy() => new(this);

    /// <summary>Committed level of each name this sensor reports.</summary>
    public IReadOnlyDictionary<string, MetricLevel> Levels => _levels.ToDictionary(l => l.Key, l => l.Value.Level);

    /// <summary>Adds a reading and returns the level change it causes, if any; null also for readings it ignores.</summary>
    /// <param name="accepted">
    /// False when the name is not one this sensor reports, or the reading is not newer than the last one of its name
    /// (a repeat), or too late for its window.
    /// </param>
    public MetricChange? Add(Reading reading, out bool accepted)
    {
        accepted = false;
        if (!_levels.TryGetValue(reading.Name, out var hysteresis))
        {
            return null;
        }
        // A device's readings come in time order (one MQTT connection, sorted per batch by the gateway); one not
        // newer than the last judged is a message the broker sent again (QoS 1 after a gateway restart) and must
        // not count twice in the means and the raise/clear counts.
        if (_newest.TryGetValue(reading.Name, out var newest) && reading.Time <= newest)
        {
            return null;
        }
        _newest[reading.Name] = reading.Time;
        var judged = reading.Name switch
        {
            "laeq" => JudgeNoise(reading),
            "pm10" => JudgePm(reading, _conditions.Pm10DayUg),
            "pm25" => JudgePm(reading, _conditions.Pm25DayUg),
            "vibration" => JudgeVibration(reading),
            "tilt" => JudgeTilt(reading),
            _ => null,
        };
        if (judged is not { } j)
        {
            return null;
        }
        accepted = true;
        var raise = j.LevelAt(0);
        var clear = j.LevelAt(Margin(reading.Name));
        if (!hysteresis.Step(raise, clear, _options.RaiseAfter, _options.ClearAfter))
        {
            return null;
        }
        return new MetricChange(reading.Name, hysteresis.Level, j.Value, j.LimitOf(hysteresis.Level), reading.Time);
    }

    /// <summary>The day period of <paramref name="time"/> and when the period it falls in began.</summary>
    public static (bool Day, DateTimeOffset Start) PeriodOf(DateTimeOffset time, TimeOnly dayStart, TimeOnly nightStart)
    {
        var local = time.ToOffset(LocalOffset);
        var clock = TimeOnly.FromTimeSpan(local.TimeOfDay);
        var day = clock.IsBetween(dayStart, nightStart);
        var startClock = day ? dayStart : nightStart;
        var start = new DateTimeOffset(local.Date + startClock.ToTimeSpan(), LocalOffset);
        if (start > local)
        {
            start = start.AddDays(-1);
        }
        return (day, start);
    }

    /// <summary>L_Aeq = 10·log10(mean(10^(L/10))) over the readings of the current period (QCVN 26:2010/BTNMT).</summary>
    private Judged? JudgeNoise(Reading reading)
    {
        var (day, start) = PeriodOf(reading.Time, _conditions.DayStart, _conditions.NightStart);
        if (start < _laeqPeriodStart)
        {
            return null;
        }
        if (start > _laeqPeriodStart)
        {
            _laeqPeriodStart = start;
            _laeq = new EnergyMean();
        }
        _laeq.Add(reading.Value);
        var limit = day ? _conditions.NoiseDayDb : _conditions.NoiseNightDb;
        return Judged.Banded(_laeq.Level, limit, _options.WarningBandDb);
    }

    private Judged? JudgeVibration(Reading reading)
    {
        var (day, _) = PeriodOf(reading.Time, _conditions.DayStart, _conditions.NightStart);
        var limit = day ? _conditions.VibrationDayDb : _conditions.VibrationNightDb;
        return limit is { } l
            ? Judged.Banded(reading.Value, l, _options.WarningBandDb)
            : Judged.Unlimited(reading.Value);
    }

    /// <summary>
    /// QCVN 05:2023/BTNMT sets 24 h means: a violation once the day is covered; an hourly mean over the same limit
    /// is an early warning.
    /// </summary>
    private Judged? JudgePm(Reading reading, double limit)
    {
        var (hour, day) = _pm[reading.Name];
        if (!day.Add(reading.Time, reading.Value))
        {
            return null;
        }
        hour.Add(reading.Time, reading.Value);
        var hourMean = hour.Mean;
        var dayMean = day.Mean;
        var covered = day.Span >= _options.PmDayCoverage;
        return new Judged(
            covered && dayMean > limit ? dayMean : hourMean,
            margin => covered && dayMean + margin > limit ? MetricLevel.Violation
                : hourMean + margin > limit ? MetricLevel.Warning
                : MetricLevel.Ok,
            _ => limit);
    }

    private Judged? JudgeTilt(Reading reading)
    {
        var tilt = Math.Abs(reading.Value);
        var stop = _conditions.TiltStopDeg;
        var warning = _conditions.TiltWarningDeg;
        return new Judged(
            tilt,
            margin => stop is { } s && tilt + margin > s ? MetricLevel.Violation
                : warning is { } w && tilt + margin > w ? MetricLevel.Warning
                : MetricLevel.Ok,
            level => level == MetricLevel.Warning ? warning : stop);
    }

    private double Margin(string name) => name switch
    {
        "pm10" or "pm25" => _options.MarginUg,
        "tilt" => _options.MarginDeg,
        _ => _options.MarginDb,
    };

    /// <param name="LevelAt">The level the value would have if it were <c>margin</c> higher.</param>
    private readonly record struct Judged(double Value, Func<double, MetricLevel> LevelAt, Func<MetricLevel, double?> LimitOf)
    {
        public static Judged Banded(double value, double limit, double band) => new(
            value,
            margin => value + margin > limit ? MetricLevel.Violation
                : value + margin > limit - band ? MetricLevel.Warning
                : MetricLevel.Ok,
            level => level == MetricLevel.Warning ? limit - band : limit);

        public static Judged Unlimited(double value) => new(value, _ => MetricLevel.Ok, _ => null);
    }
}

/// <summary>
/// A committed level with a pending move: up when the raw level is higher for N evaluations in a row, down when
/// the level with margin is lower for M in a row. Any evaluation that does not continue the move restarts it.
/// </summary>
public sealed class Hysteresis(MetricLevel level)
{
    private MetricLevel? _pending;
    private int _count;

    public MetricLevel Level { get; private set; } = level;

    public Hysteresis Copy() => new(Level) { _pending = _pending, _count = _count };

    /// <param name="raise">The level of the value itself.</param>
    /// <param name="clear">The level of the value plus the clearing margin.</param>
    /// <returns>True when the committed level changed.</returns>
    public bool Step(MetricLevel raise, MetricLevel clear, int raiseAfter, int clearAfter)
    {
        MetricLevel? target = raise > Level ? raise : clear < Level ? clear : null;
        if (target is not { } t)
        {
            _pending = null;
            _count = 0;
            return false;
        }
        var upward = t > Level;
        if (_pending is { } p && (p > Level) == upward)
        {
            // Keep the move going even if the target level shifts within the same direction (e.g. warning → violation).
            _count++;
        }
        else
        {
            _count = 1;
        }
        _pending = t;
        if (_count < (upward ? raiseAfter : clearAfter))
        {
            return false;
        }
        Level = t;
        _pending = null;
        _count = 0;
        return true;
    }
}

/// <summary>Energy average of sound levels in dB: 10·log10(mean(10^(L/10))).</summary>
public sealed class EnergyMean
{
    private double _energy;
    private long _count;

    public void Add(double db)
    {
        _energy += Math.Pow(10, db / 10);
        _count++;
    }

    public double Level => _count == 0 ? double.NaN : 10 * Math.Log10(_energy / _count);

    public EnergyMean Copy() => new() { _energy = _energy, _count = _count };
}

/// <summary>The arithmetic mean of the readings of the last <c>window</c>, ending at the newest reading.</summary>
public sealed class MovingMean(TimeSpan window)
{
    private readonly Queue<(DateTimeOffset Time, double Value)> _items = new();
    private double _sum;
    private DateTimeOffset? _newest;

    /// <returns>False (and ignored) when the reading is older than the window behind the newest reading.</returns>
    public bool Add(DateTimeOffset time, double value)
    {
        if (_newest is { } newest && time <= newest - window)
        {
            return false;
        }
        if (_newest is null || time > _newest)
        {
            _newest = time;
        }
        _items.Enqueue((time, value));
        _sum += value;
        while (_items.Peek().Time <= _newest.Value - window)
        {
            _sum -= _items.Dequeue().Value;
        }
        return true;
    }

    public double Mean => _items.Count == 0 ? double.NaN : _sum / _items.Count;

    public MovingMean Copy()
    {
        var copy = new MovingMean(window) { _sum = _sum, _newest = _newest };
        foreach (var item in _items)
        {
            copy._items.Enqueue(item);
        }
        return copy;
    }

    /// <summary>Time from the oldest reading kept to the newest.</summary>
    public TimeSpan Span => _newest is { } newest && _items.Count > 0 ? newest - _items.Peek().Time : TimeSpan.Zero;
}
