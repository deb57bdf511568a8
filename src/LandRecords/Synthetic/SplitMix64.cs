using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Synthetic;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same on every runtime, unlike
/// <see cref="HashCode"/> (randomised per process). Streams are derived from the seed and a position, so any
/// block of the city can be regenerated on its own.
/// </summary>
internal struct SplitMix64(ulong state)
{
    private ulong _state = state;

    public static SplitMix64 Derive(int seed, Purpose purpose, long a, long b = 0, long c = 0)
    {
        var h = Finalise((ulong)(uint)seed ^ 0x6A09E667F3BCC909UL);
        h = Finalise(h ^ (ulong)purpose);
        h = Finalise(h ^ (ulong)a);
        h = Finalise(h ^ (ulong)b);
        h = Finalise(h ^ (ulong)c);
        return new SplitMix64(h);
    }

    public ulong NextUInt64() => Finalise(_state += 0x9E3779B97F4A7C15UL);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Between(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform in [0, n).</summary>
    public int Next(int n) => (int)((NextUInt64() >> 33) % (ulong)n);

    /// <summary>One of <paramref name="values"/>, drawn with the matching <paramref name="weights"/> (summing to 1).</summary>
    public double Pick(ReadOnlySpan<double> values, ReadOnlySpan<double> weights)
    {
        var r = NextDouble();
        for (var i = 0; i < values.Length - 1; i++)
        {
            r -= weights[i];
            if (r < 0)
            {
                return values[i];
            }
        }

        return values[^1];
    }

    private static ulong Finalise(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    internal enum Purpose
    {
        Arterial = 1,
        Ward = 2,
        Frontage = 3,
        Detail = 4,
        Name = 5,
    }
}
