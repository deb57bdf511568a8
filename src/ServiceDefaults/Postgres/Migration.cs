using System.Security.Cryptography;
using System.Text;

namespace HcmCity.ServiceDefaults.Postgres;

/// <summary>One versioned SQL file. The checksum ignores line-ending style so a checkout on Windows is not "changed".</summary>
public sealed record Migration(int Version, string Name, string Sql, string Checksum)
{
    public static Migration Create(int version, string name, string sql)
    {
        var normalized = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
        return new Migration(version, name, normalized, checksum);
    }
}
