using System.Globalization;

namespace HcmCity.LandRecords.Import;

/// <summary>
/// How many rejected features an import tolerates (<c>--max-rejected</c>): a count ("100") or a percentage of the
/// features read ("5%"). Beyond it the import commits nothing.
/// </summary>
public sealed record RejectionLimit(double Value, bool IsPercent)
{
    /// <exception cref="FormatException">Not a count of 0 or more nor a percentage from 0 to 100.</exception>
    public static RejectionLimit Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.EndsWith('%')
            && double.TryParse(trimmed[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)
            && percent <= 100)
        {
            return new RejectionLimit(percent, IsPercent: true);
        }
        if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return new RejectionLimit(count, IsPercent: false);
        }
        throw new FormatException(
            $"--max-rejected: cần số lượng (100) hoặc phần trăm (5%) / expected a count (100) or a percentage from 0 to 100 (5%), not '{text}'.");
    }

    /// <summary>Whether <paramref name="rejected"/> of <paramref name="read"/> features is more than the limit allows.</summary>
    public bool IsExceeded(long rejected, long read) =>
        IsPercent ? rejected * 100.0 > Value * read : rejected > Value;

    public override string ToString() => IsPercent
        ? string.Create(CultureInfo.InvariantCulture, $"{Value}%")
        : Value.ToString(CultureInfo.InvariantCulture);
}
