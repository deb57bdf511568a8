using HcmCity.Testing;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Playwright;

namespace HcmCity.EndToEnd.Tests.Browser;

/// <summary>
/// One page in a fresh browser context (its own cookies and storage) on the platform under test, with relative
/// URLs resolved against the platform. It records uncaught page errors, console errors and failed requests, and
/// saves screenshots under <c>artifacts/screenshots/</c> at the repository root.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly ConcurrentQueue<string> _failedRequests = new();

    private BrowserPage(BrowserFixture fixture, IBrowserContext context, IPage page)
    {
        Fixture = fixture;
        Context = context;
        Page = page;
        page.PageError += (_, error) => _pageErrors.Enqueue(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Enqueue(string.IsNullOrEmpty(message.Location) ? message.Text : $"{message.Text} ({message.Location})");
            }
        };
        page.RequestFailed += (_, request) =>
        {
            // MapLibre cancels the tile requests of views it has left: not a failure.
            if (request.Failure is not "net::ERR_ABORTED")
            {
                _failedRequests.Enqueue($"{request.Method} {request.Url}: {request.Failure}");
            }
        };
    }

    public BrowserFixture Fixture { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Uncaught exceptions and unhandled promise rejections of the page's scripts.</summary>
    public IReadOnlyList<string> PageErrors => [.. _pageErrors];

    /// <summary>console.error messages, including Chromium's own "Failed to load resource" for 4xx/5xx responses.</summary>
    public IReadOnlyList<string> ConsoleErrors => [.. _consoleErrors];

    /// <summary>Requests that got no response at all (refused, reset), cancelled ones left out.</summary>
    public IReadOnlyList<string> FailedRequests => [.. _failedRequests];

    /// <summary>Opens a page in a new context of the fixture's browser; <paramref name="options"/> override the defaults.</summary>
    public static async Task<BrowserPage> OpenAsync(BrowserFixture fixture, BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL ??= fixture.Platform.BaseAddress.ToString();
        options.ViewportSize ??= new ViewportSize { Width = 1280, Height = 800 };
        options.Locale ??= "vi-VN";
        options.TimezoneId ??= "Asia/Ho_Chi_Minh";
        var context = await fixture.Browser.NewContextAsync(options);
        try
        {
            var timeout = (float)BrowserFixture.Timeout.TotalMilliseconds;
            context.SetDefaultTimeout(timeout);
            context.SetDefaultNavigationTimeout(timeout * 2);
            var page = await context.NewPageAsync();
            return new BrowserPage(fixture, context, page);
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    /// <summary>
    /// Signs this page's context in as a demo account of <paramref name="role"/> (see <see cref="DemoSignIn"/>);
    /// pages loaded afterwards are signed in.
    /// </summary>
    public Task<DemoToken> SignInAsync(string role, string? unit = null) => Context.SignInAsync(role, unit);

    /// <summary>Saves a screenshot of the viewport as <c>artifacts/screenshots/{name}.png</c>; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(Screenshots.Folder, Screenshots.FileName(name));
        Directory.CreateDirectory(Screenshots.Folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    /// <summary>Fails with every uncaught page error, console errors and failed requests added for context.</summary>
    public void AssertNoPageErrors()
    {
        var errors = PageErrors;
        if (errors.Count > 0)
        {
            Assert.Fail($"The page had {errors.Count} uncaught error(s):{Environment.NewLine}{Describe()}");
        }
    }

    /// <summary>Everything recorded, one item a line, for test output and failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        void Section(string title, IReadOnlyList<string> items)
        {
            if (items.Count > 0)
            {
                text.AppendLine(title);
                foreach (var item in items)
                {
                    text.Append("  ").AppendLine(item);
                }
            }
        }

        Section("Page errors:", PageErrors);
        Section("Console errors:", ConsoleErrors);
        Section("Failed requests:", FailedRequests);
        return text.ToString();
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}

/// <summary>Where screenshots go: <c>artifacts/screenshots/</c> next to HcmCity.sln (CI keeps artifacts/).</summary>
public static class Screenshots
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HcmCity.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"HcmCity.sln was not found above {AppContext.BaseDirectory}.");
    });

    /// <summary>The repository root, found by walking up from the test output to HcmCity.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    public static string Folder => Path.Combine(RepositoryRoot, "artifacts", "screenshots");

    /// <summary>A file name made of <paramref name="name"/>: letters, digits, '.', '-' and '_' kept, the rest '_'.</summary>
    public static string FileName(string name)
    {
        var safe = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }
        return safe.Append(".png").ToString();
    }

    /// <summary>
    /// "Class.Method" of the running test (arguments appended for a theory's case), without the namespace.
    /// </summary>
    public static string CurrentTestName()
    {
        var context = TestContext.Current;
        var display = context.Test?.TestDisplayName ?? "unknown-test";
        var className = context.TestClass?.TestClassName;
        var dot = className?.LastIndexOf('.') ?? -1;
        if (className is not null && dot > 0 && display.StartsWith(className[..(dot + 1)], StringComparison.Ordinal))
        {
            display = display[(dot + 1)..];
        }
        return display;
    }
}
