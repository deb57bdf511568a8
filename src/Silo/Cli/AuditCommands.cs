using System.CommandLine;
using HcmCity.LandRecords.Parcels;
using HcmCity.ServiceDefaults.Postgres;
using HcmCity.Audit;

namespace HcmCity.Silo.Cli;

/// <summary>
/// <c>audit verify [--connection]</c>: walks the hash-chained audit trail in PostgreSQL and reports the first entry
/// that was altered or deleted. Exit codes: 0 intact, 1 broken, 2 bad input (no connection string).
/// </summary>
internal static class AuditCommands
{
    private const int Intact = 0;
    private const int Broken = 1;

    public static IEnumerable<Command> Build()
    {
        var connection = ParcelCommands.ConnectionOption();
        var verify = new Command("verify", "Check every audit entry's hash and link; name the first altered or deleted one.") { connection };
        verify.SetAction(async (parse, ct) =>
        {
            await using var dataSource = PostGisDataSource.Create(ParcelCommands.ConnectionString(parse.GetValue(connection)));
            var result = await AuditTrail.VerifyAsync(dataSource, ct);
            if (result.IsIntact)
            {
                Console.WriteLine($"Audit trail intact: {result.Entries} entries, every hash and link verified.");
                return Intact;
            }
            Console.Error.WriteLine(
                $"Audit trail BROKEN at entry {result.FirstBadSeq}: {result.Problem} ({result.Entries} entries verified before it).");
            return Broken;
        });
        return [new Command("audit", "The append-only, hash-chained audit trail.") { verify }];
    }
}
