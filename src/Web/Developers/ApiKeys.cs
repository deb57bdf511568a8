using HcmCity.ServiceDefaults.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.Security.Cryptography;
using System.Text;

namespace HcmCity.Web.Developers;

/// <summary>A developer's API key as stored: never the key, only its hash.</summary>
public sealed record ApiKeyRecord(
    Guid Id,
    string Prefix,
    byte[] KeyHash,
    string OwnerSubject,
    string Name,
    int RequestsPerMinute,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt);

/// <summary>
/// Keys look like <c>hcm_{prefix}_{secret}</c>: the 8-character prefix finds the record, the whole key is compared by
/// its SHA-256 in fixed time.
/// </summary>
public static class ApiKeyFormat
{
    public const string Scheme = "hcm";

    /// <summary>A new key and its prefix; the caller stores <see cref="Hash"/> of the key.</summary>
    public static (string Key, string Prefix) New()
    {
        var prefix = Base64Url(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return ($"{Scheme}_{prefix}_{secret}", prefix);
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The prefix of a well-formed key, or null.</summary>
    public static string? PrefixOf(string? key)
    {
        if (key is null || key.Length > 128)
        {
            return null;
        }
        var parts = key.Split('_');
        return parts.Length == 3 && parts[0] == Scheme && parts[1].Length == 8 && parts[2].Length >= 32 ? parts[1] : null;
    }

    public static bool Matches(string key, ApiKeyRecord record) =>
        CryptographicOperations.FixedTimeEquals(Hash(key), record.KeyHash);

    /// <summary>URL-safe Base64 without '_', which separates the parts of a key ('/' becomes '-', '+' 'Z').</summary>
    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', 'Z').Replace('/', '-');
}

/// <summary>Where developer API keys live: PostgreSQL in production, memory in embedded mode.</summary>
public interface IApiKeyStore
{
    Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);

    Task<ApiKeyRecord?> FindByPrefixAsync(string prefix, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string ownerSubject, CancellationToken cancellationToken = default);

    /// <summary>Revokes the owner's key (first revocation time kept); false when the owner has no such key.</summary>
    Task<bool> RevokeAsync(Guid id, string ownerSubject, DateTimeOffset at, CancellationToken cancellationToken = default);
}

public sealed class InMemoryApiKeyStore : IApiKeyStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ApiKeyRecord> _byPrefix = new(StringComparer.Ordinal);

    public Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_byPrefix.TryAdd(key.Prefix, key))
        {
            throw new InvalidOperationException($"API key prefix {key.Prefix} exists.");
        }
        return Task.CompletedTask;
    }

    public Task<ApiKeyRecord?> FindByPrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
        Task.FromResult(_byPrefix.GetValueOrDefault(prefix));

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string ownerSubject, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ApiKeyRecord>>(
            [.. _byPrefix.Values.Where(k => k.OwnerSubject == ownerSubject).OrderBy(k => k.CreatedAt)]);

    public Task<bool> RevokeAsync(Guid id, string ownerSubject, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        foreach (var (prefix, key) in _byPrefix)
        {
            if (key.Id == id && key.OwnerSubject == ownerSubject)
            {
                _byPrefix.TryUpdate(prefix, key with { RevokedAt = key.RevokedAt ?? at }, key);
                return Task.FromResult(true);
            }
        }
        return Task.FromResult(false);
    }
}

public sealed class PostgresApiKeyStore(Npgsql.NpgsqlDataSource dataSource) : IApiKeyStore
{
    private const string Select =
        "SELECT id, prefix, key_hash, owner_subject, name, requests_per_minute, created_at, revoked_at FROM api_keys";

    public async Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO api_keys (id, prefix, key_hash, owner_subject, name, requests_per_minute, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """);
        command.Parameters.Add(new() { Value = key.Id });
        command.Parameters.Add(new() { Value = key.Prefix });
        command.Parameters.Add(new() { Value = key.KeyHash });
        command.Parameters.Add(new() { Value = key.OwnerSubject });
        command.Parameters.Add(new() { Value = key.Name });
        command.Parameters.Add(new() { Value = key.RequestsPerMinute });
        command.Parameters.Add(new() { Value = key.CreatedAt.UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ApiKeyRecord?> FindByPrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"{Select} WHERE prefix = $1");
        command.Parameters.Add(new() { Value = prefix });
        var found = await ReadAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string ownerSubject, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"{Select} WHERE owner_subject = $1 ORDER BY created_at");
        command.Parameters.Add(new() { Value = ownerSubject });
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<bool> RevokeAsync(Guid id, string ownerSubject, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE api_keys SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND owner_subject = $2");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = ownerSubject });
        command.Parameters.Add(new() { Value = at.UtcDateTime });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<IReadOnlyList<ApiKeyRecord>> ReadAsync(Npgsql.NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var keys = new List<ApiKeyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKeyRecord(
                reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), reader.GetString(3), reader.GetString(4),
                reader.GetInt32(5), reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return keys;
    }
}

public static class ApiKeysExtensions
{
    /// <summary>The developer API key store: PostgreSQL when ConnectionStrings:Postgres is set (its table migrated with the others), else memory.</summary>
    public static IHostApplicationBuilder AddApiKeyStore(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(IApiKeyStore)))
        {
            return builder;
        }
        if (string.IsNullOrWhiteSpace(builder.Configuration[HcmCity.ServiceDefaults.PlatformConfiguration.PostgresKey]))
        {
            builder.Services.AddSingleton<IApiKeyStore, InMemoryApiKeyStore>();
            return builder;
        }
        builder.AddPostgresSchema(typeof(ApiKeysExtensions).Assembly);
        builder.Services.AddSingleton<IApiKeyStore>(sp => new PostgresApiKeyStore(sp.GetRequiredService<Npgsql.NpgsqlDataSource>()));
        return builder;
    }
}
