using HcmCity.Testing;
using Microsoft.Playwright;

namespace HcmCity.EndToEnd.Tests.Browser;

/// <summary>
/// The real embedded platform on a loopback port plus one headless Chromium shared by the browser tests. The
/// browser is the system's Chromium (Debian package <c>chromium</c>, installed by scripts/services.sh), driven by
/// Playwright's node driver from the test output's <c>.playwright</c> folder; Playwright never downloads a browser.
/// Each test gets its own browser context (cookies, storage) through <see cref="BrowserPage.OpenAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Where scripts/services.sh installs Chromium; <c>HCM_TEST_CHROMIUM</c> overrides it.</summary>
    public const string DefaultChromium = "/usr/bin/chromium";

    /// <summary>
    /// Timeout of each Playwright action, navigation and web-first assertion: generous, as a slow 2-core CI machine
    /// runs Chromium's software WebGL next to the platform and the other test collections.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Chromium switches: no sandbox (CI runs as root in a container), no GPU, nothing that calls home. Headless
    /// Chromium still gives pages WebGL (which MapLibre needs) on SwiftShader, its software renderer; should a
    /// Chromium release stop doing so (the map test then reports "no WebGL context"), add
    /// "--enable-unsafe-swiftshader".
    /// </summary>
    public static readonly IReadOnlyList<string> ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    public PlatformInstance Platform { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The Chromium executable the tests launch.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("HCM_TEST_CHROMIUM") is { Length: > 0 } path ? path : DefaultChromium;

    public async ValueTask InitializeAsync()
    {
        var executable = ChromiumPath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {executable}. {TestServices.StartHint} (it installs the Debian package "
                + "chromium), or set HCM_TEST_CHROMIUM to a Chromium or Chrome executable.");
        }

        Assertions.SetDefaultExpectTimeout((float)Timeout.TotalMilliseconds);
        // The platform (seeding the synthetic city, starting a silo) and the browser start side by side.
        // The demo dossiers give the officer screen a work list, as a newcomer sees it.
        var platform = PlatformInstance.StartAsync(new Dictionary<string, string?> { ["Demo:Dossiers"] = "6" });
        var browser = LaunchAsync(executable);
        try
        {
            await Task.WhenAll(platform, browser);
        }
        finally
        {
            // Keep whatever started, so DisposeAsync stops it even when the other one failed.
            Platform = platform.IsCompletedSuccessfully ? platform.Result : null!;
            if (browser.IsCompletedSuccessfully)
            {
                (Playwright, Browser) = browser.Result;
            }
        }
    }

    private static async Task<(IPlaywright, IBrowser)> LaunchAsync(string executable)
    {
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = (float)(Timeout * 2).TotalMilliseconds,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        Playwright?.Dispose();
        if (Platform is not null)
        {
            await Platform.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
