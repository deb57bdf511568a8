namespace HcmCity.Permits.Dossiers;

/// <summary>Permit workflow settings, section "Permits".</summary>
public sealed class PermitOptions
{
    public const string Section = "Permits";

    /// <summary>Statutory period from a complete dossier: 7 working days for every permit type (Decree 217/2026 Art. 54). [secondary]</summary>
    public int StatutoryWorkingDays { get; set; } = 7;

    /// <summary>Officers are warned when this many working days are left.</summary>
    public int WarningWorkingDays { get; set; } = 1;

    /// <summary>
    /// Longest wait between two deadline checks of an open dossier. Reminders fire at the warning and overdue
    /// instants or after this interval, whichever is sooner, so a corrected holiday table or clock takes effect
    /// within it. At least Orleans' minimum reminder period (1 minute unless the silo lowers it).
    /// </summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Prefix of dossier numbers: HS-yyyy-NNNNNN (hồ sơ).</summary>
    public string DossierPrefix { get; set; } = "HS";
}
