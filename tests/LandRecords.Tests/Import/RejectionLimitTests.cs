using HcmCity.LandRecords.Import;

namespace HcmCity.Gis.Tests.Import;

public sealed class RejectionLimitTests
{
    [Theory]
    [InlineData("2", 2, 10, false)]
    [InlineData("2", 3, 10, true)]
    [InlineData("0", 1, 10, true)]
    [InlineData("30%", 3, 10, false)]
    [InlineData("29.5%", 3, 10, true)]
    [InlineData("0%", 0, 10, false)]
    [InlineData("100%", 10, 10, false)]
    public void A_count_or_a_percentage_of_the_features_read_is_the_most_rejections_allowed(string text, long rejected, long read, bool exceeded) =>
        Assert.Equal(exceeded, RejectionLimit.Parse(text).IsExceeded(rejected, read));

    [Theory]
    [InlineData("lots")]
    [InlineData("-1")]
    [InlineData("101%")]
    [InlineData("%")]
    [InlineData("")]
    public void Anything_else_is_refused_naming_the_option(string text)
    {
        var error = Assert.Throws<FormatException>(() => RejectionLimit.Parse(text));
        Assert.Contains("--max-rejected", error.Message, StringComparison.Ordinal);
    }
}
