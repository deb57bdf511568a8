using HcmCity.Testing;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace HcmCity.EndToEnd.Tests.Browser;

/// <summary>The web map in headless Chromium against the real embedded platform: loading, wards, parcel search.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MapPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Map_loads_without_errors_and_draws_the_ward_boundaries()
    {
        using var wards = JsonDocument.Parse(await Http.GetStringAsync("/api/wards", Ct));
        var wardCount = wards.RootElement.GetProperty("features").GetArrayLength();
        var map = new MapPage(Page);

        await map.GotoAsync();

        // The status line counts the ward polygons the map got from /api/wards, after MapLibre's load event.
        await Expect(map.Status).ToHaveTextAsync(new Regex($"^{wardCount} phường, xã"));
        await Expect(map.Status).Not.ToHaveClassAsync(new Regex("is-error"));
        var box = await map.Canvas.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Width > 400 && box.Height > 300, $"The map canvas is {box.Width} × {box.Height}.");
        Assert.True(
            await Page.EvaluateAsync<bool>(
                "() => { const c = document.querySelector('#map canvas.maplibregl-canvas'); return !!(c.getContext('webgl2') || c.getContext('webgl')); }"),
            "The map canvas has no WebGL context.");
        Assert.True(Browser.ConsoleErrors.Count == 0, $"The map logged errors:{Environment.NewLine}{Browser.Describe()}");
    }

    [Fact]
    public async Task Searching_a_sheet_and_parcel_number_opens_the_parcel_panel()
    {
        var parcel = await ParcelWithUniqueSheetAndNumberAsync();
        var map = new MapPage(Page);
        await map.GotoAsync();
        await Expect(map.Panel).ToBeHiddenAsync();

        await map.SearchAsync(parcel.Sheet, parcel.Number);

        await Expect(map.SearchMessage).ToContainTextAsync($"Đã tìm thấy tờ {parcel.Sheet}, thửa {parcel.Number}");
        await Expect(map.Panel).ToBeVisibleAsync();
        await Expect(map.PanelTitle).ToHaveTextAsync($"Thửa {parcel.Number}, tờ {parcel.Sheet} / Parcel {parcel.Number}, sheet {parcel.Sheet}");
        await Expect(map.PanelValue("Số tờ / Sheet")).ToHaveTextAsync(parcel.Sheet);
        await Expect(map.PanelValue("Số thửa / Parcel no.")).ToHaveTextAsync(parcel.Number);
        await Expect(map.PanelValue("Diện tích / Area")).ToHaveTextAsync(VietnameseArea(parcel.Area));
        await Expect(map.PanelValue("Mã thửa / Parcel id")).ToHaveTextAsync(parcel.Id.ToString(CultureInfo.InvariantCulture));
        // The search moves keyboard focus to the panel's heading.
        await Expect(map.PanelTitle).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Searching_a_sheet_and_number_used_in_several_units_lists_them_to_choose_from()
    {
        var matches = await SearchApiAsync("sheet=10&number=1");
        Assert.True(matches.Count > 1, "The synthetic city should repeat sheet 10, parcel 1 in several units.");
        var chosen = matches[^1];
        var map = new MapPage(Page);
        await map.GotoAsync();

        await map.SearchAsync("10", "1");

        await Expect(map.SearchMessage).ToContainTextAsync($"{matches.Count} thửa khớp tờ 10, thửa 1");
        var choices = map.SearchResults.GetByRole(Microsoft.Playwright.AriaRole.Button);
        await Expect(choices).ToHaveCountAsync(matches.Count);
        await Expect(map.Panel).ToBeHiddenAsync();

        await choices.Filter(new() { HasText = $"({chosen.Unit})" }).ClickAsync();

        await Expect(map.Panel).ToBeVisibleAsync();
        await Expect(map.PanelValue("Mã thửa / Parcel id")).ToHaveTextAsync(chosen.Id.ToString(CultureInfo.InvariantCulture));
        await Expect(map.PanelValue("Đơn vị / Unit")).ToContainTextAsync(chosen.Unit);
        await Expect(map.SearchResults).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Searching_a_parcel_that_does_not_exist_says_so()
    {
        var map = new MapPage(Page);
        await map.GotoAsync();

        await map.SearchAsync("9999", "99999");

        await Expect(map.SearchMessage).ToHaveTextAsync("Không tìm thấy tờ 9999, thửa 99999 / No parcel found");
        await Expect(map.SearchMessage).ToHaveClassAsync(new Regex(@"\bis-error\b"));
        await Expect(map.Status).ToContainTextAsync("No parcel found");
        await Expect(map.Panel).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Searching_without_sheet_and_number_marks_both_fields_required()
    {
        var map = new MapPage(Page);
        await map.GotoAsync();

        await map.SearchAsync(sheet: "", number: "");

        await Expect(Page.Locator("#search-sheet-error")).ToHaveTextAsync("Bắt buộc / Required");
        await Expect(Page.Locator("#search-number-error")).ToHaveTextAsync("Bắt buộc / Required");
        await Expect(map.SearchSheet).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(map.SearchSheet).ToBeFocusedAsync();
        await Expect(map.Panel).ToBeHiddenAsync();
    }

    private sealed record ParcelSummary(long Id, string Unit, string Sheet, string Number, double Area);

    /// <summary>A parcel whose sheet and number no other unit uses, so a search without unit finds it alone.</summary>
    private async Task<ParcelSummary> ParcelWithUniqueSheetAndNumberAsync()
    {
        var all = new List<ParcelSummary>();
        for (var offset = 0; ; offset += 1000)
        {
            var page = await SearchApiAsync($"limit=1000&offset={offset}");
            all.AddRange(page);
            if (page.Count < 1000)
            {
                break;
            }
        }
        var unique = all.GroupBy(p => (p.Sheet, p.Number)).Where(g => g.Count() == 1).Select(g => g.Single()).FirstOrDefault();
        Assert.True(unique is not null, $"Each sheet and number of the {all.Count} parcels is used by several units.");
        return unique;
    }

    private async Task<List<ParcelSummary>> SearchApiAsync(string query)
    {
        using var json = JsonDocument.Parse(await Http.GetStringAsync($"/api/parcels?{query}", Ct));
        return json.RootElement.GetProperty("features").EnumerateArray().Select(feature =>
        {
            var p = feature.GetProperty("properties");
            return new ParcelSummary(
                p.GetProperty("id").GetInt64(), p.GetProperty("unit").GetString()!, p.GetProperty("sheet").GetString()!,
                p.GetProperty("number").GetString()!, p.GetProperty("area").GetDouble());
        }).ToList();
    }

    /// <summary>"1.234,5 m²": the panel's area, Intl.NumberFormat('vi-VN') with one decimal (see maps/js/format.js).</summary>
    private static string VietnameseArea(double squareMetres)
    {
        var invariant = squareMetres.ToString("#,##0.0", CultureInfo.InvariantCulture);
        var vietnamese = invariant.Replace(',', ' ').Replace('.', ',').Replace(' ', '.');
        return $"{vietnamese} m²";
    }
}
