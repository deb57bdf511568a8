using HcmCity.Abstractions.Parcels;
using HcmCity.Abstractions.Sites;
using HcmCity.Gis.Parcels;
using HcmCity.Sites.Records;
using Microsoft.Extensions.Options;

namespace HcmCity.Sites.Simulator;

/// <summary>
/// Registers the demo construction sites (công trường mô phỏng) and provisions their sensors the way the sites API
/// does — broker account, site repository, parcel grain, sensor secret hash, sensor grain — without going through HTTP.
/// </summary>
public sealed class DemoSites(
    SiteProvisioning provisioning,
    IParcelStore parcels,
    WardBoundaries wards,
    IOptions<SitesOptions> sites,
    TimeProvider time)
{
    /// <summary>Permit condition of the site with the tilt sensor: the adjoining building is watched from 0.3°.</summary>
    public const double TiltWarningDeg = 0.3;

    /// <summary>Permit condition of the site with the tilt sensor: work stops at 0.5°.</summary>
    public const double TiltStopDeg = 0.5;

    /// <summary>Candidate parcels looked at per ward.</summary>
    private const int ParcelsPerWard = 100;

    /// <summary>
    /// Registers <paramref name="count"/> sites on parcels spread over the wards (residential parcels first), each
    /// with a noise and a dust sensor; the first site also gets a vibration sensor, the second a tilt sensor.
    /// </summary>
    /// <returns>The devices, with the secrets they connect with; empty when there is no parcel to build on.</returns>
    public async Task<IReadOnlyList<SimulatedDevice>> RegisterAsync(int count, SimulatorData data, CancellationToken cancellationToken)
    {
        var plots = await PickParcelsAsync(count, cancellationToken);
        var devices = new List<SimulatedDevice>();
        for (var i = 0; i < plots.Count; i++)
        {
            var parcel = plots[i];
            var activity = SiteActivity.For(i);
            // Every sixth site stands next to a school or hospital: the QCVN 26:2010/BTNMT special zone.
            var zone = i % 6 == 5 ? SiteZones.Special : SiteZones.Normal;
            var tilt = i == Math.Min(1, plots.Count - 1);
            var conditions = sites.Value.NationalLimits.ConditionsFor(zone);
            if (tilt)
            {
                conditions = conditions with { TiltWarningDeg = TiltWarningDeg, TiltStopDeg = TiltStopDeg };
            }
            var site = new SiteRecord(
                SiteProvisioning.NewSiteId(), $"MP-GPXD-{i + 1:000}/2026", parcel.Id, parcel.Key.Unit, zone,
                parcel.Geometry, conditions, SiteStatuses.Ok, null, time.GetUtcNow());
            await provisioning.RegisterSiteAsync(site, cancellationToken);

            devices.Add(await ProvisionAsync(site, SensorKinds.Noise, data.Noise, Offset(i, plots.Count, data.Noise), activity, cancellationToken));
            devices.Add(await ProvisionAsync(site, SensorKinds.Pm, data.Dust, Offset(i, plots.Count, data.Dust), activity, cancellationToken));
            if (i == 0)
            {
                devices.Add(await ProvisionAsync(site, SensorKinds.Vibration, data.Vibration, 0, activity, cancellationToken));
            }
            if (tilt)
            {
                devices.Add(await ProvisionAsync(site, SensorKinds.Tilt, data.Tilt, 0, activity, cancellationToken));
            }
        }
        return devices;
    }

    /// <summary>Devices of one kind start evenly spread over their series, so no two sites read alike.</summary>
    private static int Offset(int index, int count, SensorSeries series) => (int)((long)index * series.Rows.Count / count);

    private async Task<SimulatedDevice> ProvisionAsync(
        SiteRecord site, string kind, SensorSeries series, int startRow, SiteActivity activity, CancellationToken cancellationToken)
    {
        var device = await provisioning.ProvisionSensorAsync(site.Id, kind, cancellationToken);
        return new SimulatedDevice(device.Sensor.DeviceId, device.Secret, site.Id, site.Ward, kind, series, startRow, activity);
    }

    /// <summary>Site i goes to ward i mod wards, on that ward's (i div wards)-th candidate parcel.</summary>
    private async Task<IReadOnlyList<Parcel>> PickParcelsAsync(int count, CancellationToken cancellationToken)
    {
        var units = wards.All.Select(w => w.Code).ToList();
        if (units.Count == 0)
        {
            // Land records without ward boundaries (an imported database): the units of the first parcels.
            var page = await parcels.SearchAsync(new ParcelQuery(Limit: 1_000), cancellationToken);
            units = [.. page.Items.Select(p => p.Key.Unit).Distinct()];
        }
        var candidates = new List<IReadOnlyList<Parcel>>();
        foreach (var unit in units.Take(count))
        {
            var page = await parcels.SearchAsync(new ParcelQuery(Unit: unit, Limit: ParcelsPerWard), cancellationToken);
            if (page.Items.Count > 0)
            {
                candidates.Add([.. page.Items.OrderByDescending(p => p.IsResidential)]);
            }
        }
        var picked = new List<Parcel>();
        for (var i = 0; picked.Count < count && candidates.Count > 0 && i < count * candidates.Count; i++)
        {
            var ward = candidates[i % candidates.Count];
            var n = i / candidates.Count;
            if (n < ward.Count)
            {
                picked.Add(ward[n]);
            }
        }
        return picked;
    }
}

/// <summary>
/// How hard a demo site works. The noise file is an ambient city sound meter (~50 dB(A)) and the dust file an
/// ambient street sensor (PM2.5 ~24 µg/m³), quieter and cleaner than a site boundary, where machines add to both.
/// The gain is that addition, chosen so a newcomer sees every state: a loud site is over the 70 dB(A) day limit
/// (and the night one), a busy site over the night limit only, a quiet site within both; the loud site's dust
/// takes its hourly PM2.5 over the 45 µg/m³ QCVN 05:2023 line, a warning.
/// </summary>
/// <param name="NoiseGainDb">Added to every replayed L_Aeq.</param>
/// <param name="DustFactor">Multiplies every replayed PM10 and PM2.5.</param>
public sealed record SiteActivity(string Name, double NoiseGainDb, double DustFactor)
{
    public static readonly SiteActivity Loud = new("loud", 26, 2.5);
    public static readonly SiteActivity Busy = new("busy", 14, 1.5);
    public static readonly SiteActivity Quiet = new("quiet", 4, 1.0);

    /// <summary>Sites cycle loud, quiet, busy, quiet: a quarter of them loud, the first one always.</summary>
    public static SiteActivity For(int siteIndex) => (siteIndex % 4) switch
    {
        0 => Loud,
        2 => Busy,
        _ => Quiet,
    };
}
