using HcmCity.Testing;
using Microsoft.Playwright;

namespace HcmCity.EndToEnd.Tests.Browser;

/// <summary>
/// Base of a browser test class: every test gets a fresh page (<see cref="BrowserPage"/>), and when it ends a
/// screenshot named after the test is saved under <c>artifacts/screenshots/</c>, whatever happened, and the test
/// fails if the page had an uncaught error. What the page logged is written to the test output.
/// </summary>
/// <remarks>
/// A test class derives from it and joins the browser collection:
/// <code>
/// [Collection(BrowserCollection.Name)]
/// public sealed class OfficerScreenTests(BrowserFixture fixture) : BrowserTest(fixture) { ... }
/// </code>
/// </remarks>
public abstract class BrowserTest(BrowserFixture fixture) : IAsyncLifetime
{
    private BrowserPage? _browser;

    protected BrowserFixture Fixture => fixture;

    /// <summary>This test's page with what it recorded.</summary>
    protected BrowserPage Browser => _browser ?? throw new InvalidOperationException("The page is opened in InitializeAsync.");

    protected IPage Page => Browser.Page;

    /// <summary>HTTP client of the platform under test, for arranging data or asking the API what to expect.</summary>
    protected HttpClient Http => fixture.Platform.Http;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Options of this class's browser contexts (e.g. another viewport); null for the defaults.</summary>
    protected virtual BrowserNewContextOptions? ContextOptions => null;

    public virtual async ValueTask InitializeAsync() => _browser = await BrowserPage.OpenAsync(fixture, ContextOptions);

    public virtual async ValueTask DisposeAsync()
    {
        if (_browser is not { } browser)
        {
            return;
        }
        var output = TestContext.Current.TestOutputHelper;
        try
        {
            var path = await browser.ScreenshotAsync(Screenshots.CurrentTestName());
            output?.WriteLine($"Screenshot: {path}");
        }
        catch (PlaywrightException e)
        {
            // A page that cannot be captured (crashed, closed by the test) must not hide the test's own outcome.
            output?.WriteLine($"No screenshot: {e.Message}");
        }
        finally
        {
            if (browser.Describe() is { Length: > 0 } recorded)
            {
                output?.WriteLine(recorded);
            }
            await browser.DisposeAsync();
        }
        browser.AssertNoPageErrors();
    }
}
