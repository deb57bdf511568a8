using HcmCity.Testing;
using System.Diagnostics;
using HcmCity.ServiceDefaults;
using HcmCity.Silo.Hosting;

namespace HcmCity.EndToEnd.Tests.Platform;

public sealed class ConfigurationValidationTests
{
    [Fact]
    public void Production_mode_without_a_database_names_the_missing_setting()
    {
        var error = Assert.Throws<ConfigurationException>(() => PlatformHost.Build(["--Platform:Mode=Production"]));
        Assert.Contains("ConnectionStrings:", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ConnectionStrings:Postgres", "Host=;Port=abc")]
    [InlineData("ConnectionStrings:Redis", "redis-without-port")]
    [InlineData("ConnectionStrings:Influx", "not a url")]
    public void A_malformed_connection_setting_is_named(string key, string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => PlatformHost.Build([
            "--Platform:Mode=Production",
            "--ConnectionStrings:Postgres=Host=127.0.0.1;Database=x",
            "--ConnectionStrings:Redis=127.0.0.1:6379",
            "--ConnectionStrings:Influx=http://127.0.0.1:8086",
            "--ConnectionStrings:Mqtt=127.0.0.1:1883",
            $"--{key}={value}"]));
        Assert.StartsWith($"{key} is not valid", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Issue #11, items 3 and 8: links printed on permits, and the audit trail's anchor, are not left to chance.</summary>
    [Theory]
    [InlineData("EPermits:PublicBaseUrl", null, "EPermits:PublicBaseUrl is missing")]
    [InlineData("EPermits:PublicBaseUrl", "cap-phep.example.vn", "EPermits:PublicBaseUrl is not valid")]
    [InlineData("Audit:CheckpointKeyPem", null, "Audit:CheckpointKeyPem is missing")]
    [InlineData("Audit:CheckpointKeyPem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "Audit:CheckpointKeyPem is not valid")]
    [InlineData("Audit:CheckpointDirectory", null, "Audit:CheckpointDirectory is missing")]
    public void Production_without_a_public_address_or_audit_anchor_names_the_setting(string key, string? value, string message)
    {
        var settings = PlatformInstance.ProductionSettings(
            TestServices.Postgres, new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<ConfigurationException>(() => PlatformHost.Build(
            [.. settings.Where(kv => kv.Value is not null).Select(kv => $"--{kv.Key}={kv.Value}")]));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_mode_is_refused()
    {
        var error = Assert.Throws<ConfigurationException>(() => PlatformHost.Build(["--Platform:Mode=Staging"]));
        Assert.Contains("Platform:Mode", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gateway:MaxUnacknowledged", "0")]
    [InlineData("Gateway:BatchSize", "0")]
    [InlineData("Gateway:MaxPacketBytes", "1024")]
    [InlineData("Gateway:MaxPacketBytes", "300000000")]
    public async Task A_gateway_setting_out_of_range_stops_the_start_and_is_named(string key, string value)
    {
        await using var app = PlatformHost.Build([
            "--urls=http://127.0.0.1:0",
            $"--ConnectionStrings:Mqtt=127.0.0.1:{FreePort.Next()}",
            $"--Orleans:SiloPort={FreePort.Next()}",
            $"--Orleans:GatewayPort={FreePort.Next()}",
            "--Simulator:Enabled=false",
            $"--{key}={value}"]);

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_silo_process_prints_one_line_and_exits_2_on_a_configuration_error()
    {
        var silo = Path.Combine(AppContext.BaseDirectory, "HcmCity.Silo.dll");
        var start = new ProcessStartInfo("dotnet", [silo, "--Platform:Mode=Production"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ConfigurationGuard.ExitCode, process.ExitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Configuration error: ConnectionStrings:", line, StringComparison.Ordinal);
    }
}
