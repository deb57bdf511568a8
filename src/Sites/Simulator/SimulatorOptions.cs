namespace HcmCity.Sites.Simulator;

/// <summary>
/// The device simulator (mô phỏng thiết bị), section "Simulator": demo construction sites whose sensors publish
/// replayed real readings over MQTT, so the embedded platform shows a live city. On by default in embedded mode
/// only; elsewhere it runs only when <see cref="Enabled"/> is set.
/// </summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    public bool Enabled { get; set; }

    /// <summary>How many demo sites to register, spread over the wards.</summary>
    public int Sites { get; set; } = 12;

    /// <summary>Seconds of recorded data replayed per real second (60: an hour of the CSV passes in a minute).</summary>
    public double Speed { get; set; } = 60;

    /// <summary>
    /// L_Aeq per minute, <c>datetime,LEQ dB -A</c>. Relative paths are taken from the content root; unset, the
    /// simulator looks for <c>shared/data/sensors/noise-laeq-1min.csv</c> upward from the content root.
    /// </summary>
    public string? NoiseCsv { get; set; }

    /// <summary>PM10/PM2.5, <c>time;pm10_ugm3;pm25_ugm3;...</c> in UTC; found like <see cref="NoiseCsv"/>.</summary>
    public string? DustCsv { get; set; }

    /// <summary>Each simulated device publishes one SenML pack this often.</summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A device that lost the broker tries again after this long.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);
}
