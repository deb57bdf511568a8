namespace HcmCity.Abstractions;

public static class GrainStorage
{
    /// <summary>The grain storage provider every HcmCity grain uses: memory when embedded, Redis in production.</summary>
    public const string Name = "hcm";
}
