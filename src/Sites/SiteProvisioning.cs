using HcmCity.Abstractions.Parcels;
using HcmCity.Abstractions.Sensors;
using HcmCity.Abstractions.Sites;
using HcmCity.Sites.Records;

namespace HcmCity.Sites;

/// <summary>A sensor just provisioned, with the secret its device connects with (shown once, stored only hashed).</summary>
public sealed record ProvisionedDevice(SensorRecord Sensor, string Secret)
{
    public string Topic => TelemetryTopic.For(Sensor.DeviceId);

    public string BaseName => TelemetryTopic.BaseName(Sensor.DeviceId);
}

/// <summary>
/// The one way a construction site and its sensors come to exist, for the sites API and the device simulator alike:
/// the site record and its parcel's link; for a sensor, the broker account, the stored sensor with its secret's hash,
/// and its grain; revocation in the reverse order.
/// </summary>
public sealed class SiteProvisioning(ISiteRepository repository, IDeviceAccess devices, IGrainFactory grains, TimeProvider time)
{
    public static string NewSiteId() => $"site-{Guid.NewGuid():N}"[..17];

    public async Task RegisterSiteAsync(SiteRecord site, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        await repository.AddSiteAsync(site, cancellationToken);
        await grains.GetGrain<IParcelGrain>(site.ParcelId).AttachSiteAsync(site.Id);
    }

    public async Task<ProvisionedDevice> ProvisionSensorAsync(string siteId, string kind, CancellationToken cancellationToken)
    {
        var deviceId = $"dev-{Guid.NewGuid():N}"[..20];
        var secret = SensorSecrets.NewSecret();
        // The broker account first: a stored sensor always has one (a failure leaves an unused account, no sensor).
        await devices.GrantAsync(deviceId, secret, cancellationToken);
        var sensor = new SensorRecord(deviceId, siteId, kind, SensorSecrets.Hash(secret), time.GetUtcNow());
        await repository.AddSensorAsync(sensor, cancellationToken);
        await grains.GetGrain<ISensorGrain>(deviceId).StartAsync();
        return new ProvisionedDevice(sensor, secret);
    }

    /// <summary>
    /// Stored as revoked (its credentials are refused from now on), its grain drops its readings, and the broker
    /// disconnects its device. Null when there is no such sensor; revoking again changes nothing.
    /// </summary>
    public async Task<SensorRecord?> RevokeSensorAsync(string deviceId, CancellationToken cancellationToken)
    {
        var sensor = await repository.RevokeSensorAsync(deviceId, time.GetUtcNow(), cancellationToken);
        if (sensor is null)
        {
            return null;
        }
        await grains.GetGrain<ISensorGrain>(deviceId).RevokeAsync();
        await devices.RevokeAsync(deviceId, cancellationToken);
        return sensor;
    }
}
