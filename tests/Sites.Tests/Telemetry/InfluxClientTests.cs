using HcmCity.Testing;
using HcmCity.Sites.Influx;
using Microsoft.Extensions.Options;

namespace HcmCity.Sites.Tests.Telemetry;

/// <summary>Our v1 HTTP client against the real InfluxDB.</summary>
public sealed class InfluxClientTests
{
    private static InfluxClient Client(string database) => new(new HttpClient(),
        Options.Create(new InfluxOptions { Url = TestServices.Influx, Database = database }));

    [Fact]
    public async Task A_line_written_is_read_back_with_its_tags_escaped()
    {
        var ct = TestContext.Current.CancellationToken;
        var influx = Client("hcm_test_client");
        try
        {
            await influx.EnsureDatabaseAsync(ct);
        }
        catch (HttpRequestException e)
        {
            throw TestServices.Unreachable("InfluxDB", TestServices.Influx.ToString(), e);
        }
        Assert.True(await influx.PingAsync(ct));
        var device = $"dev {Guid.NewGuid():N},x=y";
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123);
        var lines = new LineProtocolWriter()
            .Measurement("telemetry").Tag("device", device).Tag("name", "laeq").Field("value", 67.3).Timestamp(time)
            .Measurement("telemetry").Tag("device", device).Tag("name", "laeq").Field("value", 71.0).Timestamp(time.AddSeconds(60));
        await influx.WriteAsync(lines.ToString(), ct);

        var series = await influx.QueryAsync(
            $"SELECT mean(value) AS laeq FROM telemetry WHERE device = '{device.Replace("'", "\\'")}' " +
            $"AND time >= {time.ToUnixTimeMilliseconds()}ms AND time < {time.AddMinutes(2).ToUnixTimeMilliseconds()}ms", ct);
        var single = Assert.Single(series);
        Assert.Equal(["time", "laeq"], single.Columns);
        Assert.Equal(69.15, (double)single.Rows.Single()[1]!, 6);
    }

    [Fact]
    public async Task A_malformed_line_is_reported_with_influx_own_message()
    {
        var influx = Client("hcm_test_client");
        await influx.EnsureDatabaseAsync(TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<InfluxException>(
            () => influx.WriteAsync("telemetry value=", TestContext.Current.CancellationToken));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Status);
    }

    [Fact]
    public void Line_protocol_escapes_names_tags_and_strings()
    {
        var text = new LineProtocolWriter()
            .Measurement("my measure,x").Tag("ward key", "Bến Thành=1,2").Field("note", "say \"hi\" \\").Field("n", 3L)
            .Timestamp(DateTimeOffset.FromUnixTimeMilliseconds(5)).ToString();
        Assert.Equal("my\\ measure\\,x,ward\\ key=Bến\\ Thành\\=1\\,2 note=\"say \\\"hi\\\" \\\\\",n=3i 5", text);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LineProtocolWriter().Measurement("m").Field("v", double.NaN));
    }
}
