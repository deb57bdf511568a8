using System.Globalization;
using System.Text;

namespace HcmCity.Sites.Influx;

/// <summary>
/// InfluxDB line protocol: <c>measurement,tag=v field=1.5,count=3i 1767225600000</c>.
/// Escaping follows the InfluxDB 1.x reference: commas and spaces in measurements; commas, equals signs and
/// spaces in tag keys, tag values and field keys; double quotes and backslashes in string field values.
/// </summary>
public sealed class LineProtocolWriter
{
    private readonly StringBuilder _text = new();
    private bool _hasField;

    public int Lines { get; private set; }

    public LineProtocolWriter Measurement(string name)
    {
        if (Lines > 0)
        {
            _text.Append('\n');
        }
        Escape(name, measurement: true);
        _hasField = false;
        Lines++;
        return this;
    }

    public LineProtocolWriter Tag(string key, string value)
    {
        if (value.Length == 0)
        {
            return this; // the protocol has no empty tag values
        }
        _text.Append(',');
        Escape(key, measurement: false);
        _text.Append('=');
        Escape(value, measurement: false);
        return this;
    }

    public LineProtocolWriter Field(string key, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "InfluxDB fields must be finite numbers.");
        }
        BeginField(key);
        _text.Append(value.ToString("R", CultureInfo.InvariantCulture));
        return this;
    }

    public LineProtocolWriter Field(string key, long value)
    {
        BeginField(key);
        _text.Append(value.ToString(CultureInfo.InvariantCulture)).Append('i');
        return this;
    }

    public LineProtocolWriter Field(string key, string value)
    {
        BeginField(key);
        _text.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                _text.Append('\\');
            }
            _text.Append(c);
        }
        _text.Append('"');
        return this;
    }

    /// <summary>Ends the point with its timestamp in milliseconds since the Unix epoch (precision=ms).</summary>
    public LineProtocolWriter Timestamp(DateTimeOffset time)
    {
        _text.Append(' ').Append(time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public override string ToString() => _text.ToString();

    public void Clear()
    {
        _text.Clear();
        Lines = 0;
        _hasField = false;
    }

    private void BeginField(string key)
    {
        _text.Append(_hasField ? ',' : ' ');
        _hasField = true;
        Escape(key, measurement: false);
        _text.Append('=');
    }

    private void Escape(string value, bool measurement)
    {
        foreach (var c in value)
        {
            if (c is ',' or ' ' || (!measurement && c == '='))
            {
                _text.Append('\\');
            }
            else if (c is '\n' or '\r')
            {
                throw new ArgumentException("Line protocol names and tags cannot contain line breaks.", nameof(value));
            }
            _text.Append(c);
        }
    }
}
