using System.Net;
using System.Net.Http.Json;
using HcmCity.Abstractions.Audit;
using HcmCity.Audit.Checkpoints;
using HcmCity.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.EndToEnd.Tests.Security;

/// <summary>
/// Issue #11, item 3, as deployed: the platform migrates as the schema's owner (ConnectionStrings:PostgresOwner) and
/// then works on the application's role, which owns nothing; it signs checkpoints of the audit chain and serves them.
/// </summary>
public sealed class DatabaseRolesPlatformTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_platform_migrates_as_the_owner_works_as_a_role_owning_nothing_and_serves_signed_checkpoints()
    {
        await using var database = await PostgresDatabase.CreateOwnedAsync(Ct);
        var checkpoints = Path.Combine(Path.GetTempPath(), $"hcm-audit-checkpoints-{Guid.NewGuid():N}");
        try
        {
            // The CLI too: it migrates as the owner, then writes the parcels as the application.
            var generated = await SiloProcess.RunAsync(
                ["generate", "parcels", "--count", "2000", "--connection", database.AppConnectionString!],
                new Dictionary<string, string> { ["ConnectionStrings__PostgresOwner"] = database.ConnectionString });
            Assert.True(generated.Exit == 0, generated.Stderr + generated.Stdout);
            await using var platform = await PlatformInstance.StartAsync(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = database.AppConnectionString,
                ["ConnectionStrings:PostgresOwner"] = database.ConnectionString,
                ["Audit:CheckpointDirectory"] = checkpoints,
                ["Audit:CheckpointInterval"] = "00:00:00.200",
            });

            // Entries appended by the platform's own trail, on the application's role.
            var trail = platform.Services.GetRequiredService<IAuditTrail>();
            for (var i = 1; i <= 3; i++)
            {
                await trail.AppendAsync(new AuditDraft(DateTimeOffset.UtcNow, "officer-1", "officer", "personal-data.read",
                    $"HS-79-2026-00000{i}", new Dictionary<string, string?>()), Ct);
            }

            var checkpoint = await Eventually.ReturnsAsync(async () =>
            {
                using var response = await platform.Http.GetAsync("/api/audit/checkpoint", Ct);
                var latest = response.StatusCode == HttpStatusCode.OK
                    ? await response.Content.ReadFromJsonAsync<AuditCheckpoint>(Ct)
                    : null;
                return latest is { Seq: 3 } ? latest : null;
            });
            var key = AuditCheckpointKey.FromPem(await platform.Http.GetStringAsync("/api/audit/checkpoint/key", Ct));
            var keyFile = Path.Combine(checkpoints, "key.pem");
            await File.WriteAllTextAsync(keyFile, key.ExportPublicKeyPem(), Ct);
            var verify = await SiloProcess.RunAsync(
                ["audit", "verify", "--connection", database.AppConnectionString!, "--checkpoint", checkpoints, "--checkpoint-key", keyFile]);

            Assert.True(checkpoint.IsSignedBy(key));
            Assert.True(verify.Exit == 0, verify.Stderr);
            Assert.Contains($"entry {checkpoint.Seq} as signed", verify.Stdout, StringComparison.Ordinal);
            Assert.Equal(0L, await ScalarAsync<long>(database,
                "SELECT count(*) FROM pg_tables WHERE tableowner = 'hcmcity_app'"));
            Assert.Equal("hcmcity_owner", await ScalarAsync<string>(database,
                "SELECT tableowner::text FROM pg_tables WHERE tablename = 'audit_log'"));
            Assert.True(await ScalarAsync<long>(database, "SELECT count(*) FROM schema_migrations") > 0);
            Assert.Equal(2000L, await ScalarAsync<long>(database, "SELECT count(*) FROM parcels"));
        }
        finally
        {
            if (Directory.Exists(checkpoints))
            {
                Directory.Delete(checkpoints, recursive: true);
            }
        }
    }

    private static async Task<T> ScalarAsync<T>(PostgresDatabase database, string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}
