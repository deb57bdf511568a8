using HcmCity.Testing;
using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Parcels;
using HcmCity.ServiceDefaults;
using HcmCity.LandRecords;
using HcmCity.Permits.Dossiers;
using HcmCity.Permits.EPermits;
using HcmCity.Tests.Shared;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HcmCity.Permits.Tests.EPermits;

/// <summary>
/// The real <see cref="EPermitService"/> over the in-memory register and parcel store, with a clock the test moves
/// (validity spans a year; no test waits for it).
/// </summary>
internal sealed class PermitBench
{
    public const string HolderName = "Nguyễn Văn An";

    private PermitBench(EPermitService service, InMemoryPermitRepository dossiers, FakeTimeProvider clock, Parcel parcel, PermitKey key)
    {
        Service = service;
        Dossiers = dossiers;
        Clock = clock;
        Parcel = parcel;
        Key = key;
    }

    public EPermitService Service { get; }

    /// <summary>The dossiers the service reads a permit's construction phase from.</summary>
    public InMemoryPermitRepository Dossiers { get; }

    public FakeTimeProvider Clock { get; }

    public Parcel Parcel { get; }

    /// <summary>The key that signs this bench's permits.</summary>
    public PermitKey Key { get; }

    public static async Task<PermitBench> CreateAsync(
        PermitKey? key = null, IEnumerable<PermitKey>? previous = null, int startWithinMonths = 12)
    {
        var parcels = new InMemoryParcelStore();
        var fx = new ParcelFixtures();
        await parcels.UpsertAsync([fx.Lot("9", 45, 0, 0, width: 6, depth: 20)]);
        var parcel = (await parcels.SearchAsync(new ParcelQuery(Unit: fx.Unit))).Items.Single();
        key ??= PermitKey.Generate();
        var options = new EPermitOptions
        {
            SigningKeyPem = key.ExportPrivateKeyPem(),
            PreviousKeysPem = [.. (previous ?? []).Select(k => k.ExportPublicKeyPem())],
            StartWithinMonths = startWithinMonths,
        };
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 2, 30, 15, TimeSpan.Zero));
        var dossiers = new InMemoryPermitRepository(new HcmCity.Audit.InMemoryAuditTrail());
        var service = new EPermitService(
            new InMemoryEPermitStore(new HcmCity.Audit.InMemoryAuditTrail()), dossiers, parcels, new WardBoundaries(),
            PermitSigningKeys.FromOptions(options, PlatformMode.Production), Options.Create(options), clock);
        return new PermitBench(service, dossiers, clock, parcel, key);
    }

    public PermitToIssue Request(string? dossier = null) => new(
        dossier ?? $"HS-2026-{Random.Shared.Next(1_000_000):D6}",
        Parcel.Id,
        PermitTypes.NewConstruction,
        new PermitScope(Floors: 5, Basements: 0, HeightM: 19.0, FootprintM2: 96.5, GrossFloorAreaM2: 482.5),
        ["Che chắn bụi theo QCVN 05:2023/BTNMT", "Không thi công từ 22h đến 6h"],
        HolderName,
        HolderSubject: "citizen-an");

    public Task<IssuedEPermit> IssueAsync(string? dossier = null) =>
        Service.IssueAsync(Request(dossier), TestContext.Current.CancellationToken);
}

/// <summary>Ways to spoil a permit JWS.</summary>
internal static class Jws
{
    /// <summary>The payload with <paramref name="from"/> replaced by <paramref name="to"/>, signature kept.</summary>
    public static string Tamper(string jws, string from, string to)
    {
        var parts = jws.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        Assert.Contains(from, payload, StringComparison.Ordinal);
        var changed = payload.Replace(from, to, StringComparison.Ordinal);
        return $"{parts[0]}.{System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(changed))}.{parts[2]}";
    }

    /// <summary>The same claims signed by another key (a forger's).</summary>
    public static string Forge(string jws, PermitKey forger) => PermitJws.Sign(PermitJws.Decode(jws).Claims, forger);

    /// <summary>The same claims signed by another key, the header naming the platform's key id.</summary>
    public static string ForgeWithKid(string jws, PermitKey forger)
    {
        var decoded = PermitJws.Decode(jws);
        var header = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(
            $$"""{"alg":"ES256","kid":"{{decoded.KeyId}}","typ":"permit+jwt"}"""));
        var payload = jws.Split('.')[1];
        var signature = forger.Sign(System.Text.Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{System.Buffers.Text.Base64Url.EncodeToString(signature)}";
    }
}
