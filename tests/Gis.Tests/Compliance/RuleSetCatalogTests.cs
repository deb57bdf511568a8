using System.Text.Json;
using HcmCity.Gis.Compliance;
using static HcmCity.Gis.Tests.Compliance.Lots;

namespace HcmCity.Gis.Tests.Compliance;

public sealed class RuleSetCatalogTests : IDisposable
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("hcmcity-rules-");

    public void Dispose() => _directory.Delete(recursive: true);

    private void Write(string name, RuleSet ruleSet) =>
        File.WriteAllText(Path.Combine(_directory.FullName, name), JsonSerializer.Serialize(ruleSet, Web));

    [Fact]
    public void Embedded_catalog_holds_Decision_56_for_existing_and_QCVN_01_for_new_areas()
    {
        var catalog = RuleSetCatalog.Embedded();

        Assert.Equal("hcmc-56-2021", catalog.Select(AreaType.Existing, Today).Id);
        Assert.Equal("qcvn-01-2021", catalog.Select(AreaType.New, Today).Id);
        Assert.NotNull(catalog.Find("hcmc-56-2021", "1"));
    }

    [Fact]
    public void Selection_before_any_rule_set_took_effect_fails()
    {
        Assert.Throws<KeyNotFoundException>(() => RuleSetCatalog.Embedded().Select(AreaType.New, new DateOnly(2020, 1, 1)));
        Assert.False(RuleSetCatalog.Embedded().TrySelect(AreaType.Existing, new DateOnly(2021, 12, 27), out _));
    }

    [Fact]
    public void Selection_picks_the_latest_rule_set_in_force_on_the_date()
    {
        Write("hcmc-2027.rules.json", Existing with { Id = "hcmc-2027", Version = "1", EffectiveFrom = new DateOnly(2027, 1, 1) });

        var catalog = RuleSetCatalog.Load(_directory.FullName);

        Assert.Equal("hcmc-56-2021", catalog.Select(AreaType.Existing, new DateOnly(2026, 12, 31)).Id);
        Assert.Equal("hcmc-2027", catalog.Select(AreaType.Existing, new DateOnly(2027, 1, 1)).Id);
        Assert.Equal("hcmc-2027", catalog.Select(AreaType.Existing, new DateOnly(2030, 6, 1)).Id);
    }

    [Fact]
    public void Rule_set_is_not_selected_after_its_last_day()
    {
        Write("old.rules.json", Existing with { Id = "hcmc-old", Version = "1", EffectiveFrom = new DateOnly(2010, 1, 1), EffectiveTo = new DateOnly(2021, 12, 27) });

        var catalog = RuleSetCatalog.Load(_directory.FullName);

        Assert.Equal("hcmc-old", catalog.Select(AreaType.Existing, new DateOnly(2021, 12, 27)).Id);
        Assert.Equal("hcmc-56-2021", catalog.Select(AreaType.Existing, new DateOnly(2021, 12, 28)).Id);
        Assert.Throws<KeyNotFoundException>(() =>
            new RuleSetCatalog([Existing with { EffectiveTo = new DateOnly(2025, 1, 1) }]).Select(AreaType.Existing, Today));
    }

    [Fact]
    public void A_new_decision_replaces_the_numbers_without_a_release()
    {
        Write("far-5.rules.json", Existing with
        {
            Id = "hcmc-far-5",
            Version = "2027.1",
            EffectiveFrom = new DateOnly(2027, 1, 1),
            Far = new FarRule { Max = 5, Citation = "Decision 99/2026/QĐ-UBND Art. 3" },
        });
        var catalog = RuleSetCatalog.Load(_directory.FullName);
        var (parcel, plan) = Typical();
        plan = plan with { TotalFloorArea = 600 };

        var before = SitePlanChecker.Check(parcel, plan, catalog.Select(AreaType.Existing, new DateOnly(2026, 12, 1)));
        var after = SitePlanChecker.Check(parcel, plan, catalog.Select(AreaType.Existing, new DateOnly(2027, 2, 1)));

        Assert.Equal(FindingStatus.Pass, before[RuleIds.Far].Status);
        Assert.Equal(FindingStatus.Fail, after[RuleIds.Far].Status);
        Assert.Equal("Decision 99/2026/QĐ-UBND Art. 3", after[RuleIds.Far].Citation);
        Assert.Equal(("hcmc-far-5", "2027.1"), (after.RuleSetId, after.RuleSetVersion));
    }

    [Fact]
    public void File_with_the_id_and_version_of_an_embedded_set_replaces_it()
    {
        Write("patch.rules.json", Existing with { Far = new FarRule { Max = 3, Citation = "patched" } });

        var selected = RuleSetCatalog.Load(_directory.FullName).Select(AreaType.Existing, Today);

        Assert.Equal(3, selected.Far!.Max);
    }

    [Fact]
    public void Two_rule_sets_taking_effect_the_same_day_for_one_area_type_are_refused()
    {
        Write("twin.rules.json", Existing with { Id = "twin" });

        var error = Assert.Throws<InvalidDataException>(() => RuleSetCatalog.Load(_directory.FullName));

        Assert.Contains("twin", error.Message);
    }

    [Fact]
    public void Rule_set_missing_a_rule_is_refused_naming_the_file_and_rule()
    {
        Write("broken.rules.json", Existing with { Id = "broken", EffectiveFrom = new DateOnly(2030, 1, 1), Height = null });

        var error = Assert.Throws<InvalidDataException>(() => RuleSetCatalog.Load(_directory.FullName));

        Assert.Contains("broken.rules.json", error.Message);
        Assert.Contains("'height' is neither given nor deferred", error.Message);
    }

    [Fact]
    public void Rule_set_with_an_unknown_property_or_missing_field_is_refused()
    {
        using var typo = new MemoryStream("""{ "id": "x", "version": "1", "densty": {} }"""u8.ToArray());
        using var missing = new MemoryStream("""{ "id": "x", "version": "1" }"""u8.ToArray());

        Assert.Throws<InvalidDataException>(() => RuleSetCatalog.Parse(typo, "typo"));
        var error = Assert.Throws<InvalidDataException>(() => RuleSetCatalog.Parse(missing, "missing"));
        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public void Density_breakpoints_out_of_order_are_refused()
    {
        var shuffled = Existing with
        {
            Density = Existing.Density with { Breakpoints = [new(100, 90), new(50, 100)] },
        };
        using var json = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(shuffled, Web));

        var error = Assert.Throws<InvalidDataException>(() => RuleSetCatalog.Parse(json, "shuffled"));

        Assert.Contains("ascending", error.Message);
    }

    [Fact]
    public void Missing_rule_set_directory_is_an_error()
    {
        Assert.Throws<DirectoryNotFoundException>(() => RuleSetCatalog.Load(Path.Combine(_directory.FullName, "absent")));
    }
}
