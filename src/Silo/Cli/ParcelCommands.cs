using HcmCity.Platform;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HcmCity.Gis.Crs;
using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Parcels;
using HcmCity.LandRecords.Import;
using HcmCity.LandRecords.Synthetic;
using HcmCity.ServiceDefaults;
using HcmCity.LandRecords;
using HcmCity.ServiceDefaults.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using Spectre.Console;

namespace HcmCity.Silo.Cli;

/// <summary>
/// Land-record verbs against PostgreSQL/PostGIS: <c>migrate</c>, <c>import parcels &lt;file&gt;</c> and
/// <c>generate parcels</c>. Bad input (missing file, unknown CRS, a file cut short) is one line on stderr and exit
/// code 2; an import whose data is refused (nothing accepted, too many rejections) exits 1. Either way an import
/// commits nothing: it is one transaction.
/// </summary>
internal static class ParcelCommands
{
    private const int BadInput = 2;

    /// <summary>The file was read, but its data is refused: nothing accepted, or more rejections than --max-rejected.</summary>
    private const int Refused = 1;

    /// <summary>Rejection examples printed per reason; the rest are counted.</summary>
    private const int ExamplesPerReason = 3;

    public static IEnumerable<Command> Build() => [Import(), Generate(), Migrate()];

    private static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "GeoJSON or Shapefile of cadastral parcels." };
        var crs = new Option<string?>("--crs")
        {
            Description = "Source CRS, e.g. EPSG:9210 (VN-2000 / TM-3 105-45), for a file that declares none (GeoJSON without "
                + "\"crs\", Shapefile without .prj). A --crs that contradicts the file's declared CRS is refused (exit 2) unless --force-crs.",
        };
        var forceCrs = new Option<bool>("--force-crs")
        {
            Description = "Apply --crs even where the file declares another CRS (a file mislabelled by the tool that wrote it).",
        };
        var maxRejected = new Option<string?>("--max-rejected")
        {
            Description = "Most features that may be rejected, as a count (100) or a percentage of the file (5%); beyond it "
                + "nothing is imported (exit 1). Default: no limit, but a file of which nothing is accepted always exits 1.",
        };
        var unit = new Option<string?>("--unit") { Description = "Administrative unit code for every parcel." };
        var keepPersonal = new Option<bool>("--keep-personal")
        {
            Description = "Keep owner names, addresses and ID numbers (restricted column; off by default).",
        };
        var connection = ConnectionOption();

        var parcels = new Command("parcels",
            "Import cadastral parcels into PostGIS (insert new keys, update known ones) in one transaction: all or nothing. "
            + "Exit 0 imported; 1 refused (nothing accepted, or more rejections than --max-rejected); 2 bad input "
            + "(missing or unreadable file, unknown or contradictory CRS). On 1 and 2 nothing is imported.")
        {
            file, crs, forceCrs, maxRejected, unit, keepPersonal, connection,
        };
        parcels.SetAction((parse, ct) => ImportParcelsAsync(
            parse.GetRequiredValue(file),
            new ImportRequest(parse.GetValue(crs), parse.GetValue(forceCrs), parse.GetValue(maxRejected), parse.GetValue(unit), parse.GetValue(keepPersonal)),
            parse.GetValue(connection), ct));

        return new Command("import", "Import data into the system of record.") { parcels };
    }

    private static Command Generate()
    {
        var count = new Option<int>("--count")
        {
            Description = "Number of parcels (HCMC holds about 2.49 million).",
            DefaultValueFactory = _ => new SyntheticCityOptions().ParcelCount,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed: same seed and count, same city.",
            DefaultValueFactory = _ => new SyntheticCityOptions().Seed,
        };
        var connection = ConnectionOption();

        var parcels = new Command("parcels", "Stream the synthetic city's parcels into PostGIS.") { count, seed, connection };
        parcels.SetAction((parse, ct) => GenerateParcelsAsync(
            parse.GetValue(count), parse.GetValue(seed), parse.GetValue(connection), ct));

        return new Command("generate", "Generate synthetic data.") { parcels };
    }

    private static Command Migrate()
    {
        var connection = ConnectionOption();
        connection.Description = $"PostgreSQL connection string of the schema's owner; defaults to {PlatformConfiguration.PostgresOwnerKey}, " +
                                 $"else {PlatformConfiguration.PostgresKey} (appsettings.json or the environment).";
        var migrate = new Command("migrate", "Apply pending database migrations.") { connection };
        migrate.SetAction(async (parse, ct) =>
        {
            var applied = await MigrateAsync(parse.GetValue(connection) is { Length: > 0 } given ? given : OwnerConnectionString(null), ct);
            AnsiConsole.MarkupLine(applied == 0
                ? "Database is up to date."
                : $"Applied [green]{applied}[/] migration(s).");
            return 0;
        });
        return migrate;
    }

    private sealed record ImportRequest(string? Crs, bool ForceCrs, string? MaxRejected, string? Unit, bool KeepPersonal);

    private static async Task<int> ImportParcelsAsync(FileInfo file, ImportRequest request, string? connection, CancellationToken ct)
    {
        if (!file.Exists)
        {
            return Fail($"File not found: {file.FullName}");
        }

        int? srid;
        RejectionLimit? limit;
        try
        {
            srid = request.Crs is null ? null : CrsRegistry.ParseSrid(request.Crs);
            limit = request.MaxRejected is null ? null : RejectionLimit.Parse(request.MaxRejected);
            if (srid is { } given && !request.ForceCrs
                && ParcelFileReader.DeclaredCrs(file.FullName) is { } declared && !Declares(declared, given))
            {
                // Applied silently, such a --crs put parcels tens of kilometres from where they are.
                return Fail($"--crs EPSG:{given} mâu thuẫn với hệ tọa độ của tệp ({Shorten(declared)}); không nhập gì / "
                    + $"--crs EPSG:{given} contradicts the CRS the file declares ({Shorten(declared)}); nothing was imported. "
                    + "Leave --crs out, or add --force-crs if the file is mislabelled.");
            }
        }
        catch (Exception e) when (e is UnknownCrsException or FormatException or InvalidDataException)
        {
            return Fail(e.Message);
        }

        await MigrateAsync(OwnerConnectionString(connection), ct);
        await using var dataSource = PostGisDataSource.Create(ConnectionString(connection));

        var options = new ParcelImportOptions(srid, request.Unit, request.KeepPersonal);
        var total = ParcelFileReader.CountFeatures(file.FullName);
        var summary = new ImportSummary();
        var clock = Stopwatch.StartNew();
        await using var import = await new PostGisParcelStore(dataSource).BeginImportAsync(ct);
        // One transaction takes one batch at a time; reading and transforming still run alongside the writing.
        var loader = new ParcelBulkLoader(import.UpsertAsync, new ParcelBulkLoaderOptions { Writers = 1 });
        UpsertResult stored;
        try
        {
            stored = await WithProgressAsync($"Importing {file.Name}", total, async progress =>
            {
                async IAsyncEnumerable<Parcel> Accepted()
                {
                    await foreach (var result in ParcelFileReader.ReadAsync(file.FullName, options, ct))
                    {
                        summary.Add(result);
                        progress.Increment(1);
                        if (result is AcceptedParcel accepted)
                        {
                            yield return accepted.Parcel;
                        }
                    }
                }

                return await loader.LoadAsync(Accepted(), null, ct);
            });
        }
        catch (Exception e) when (e is UnknownCrsException or InvalidDataException)
        {
            // The file declares a CRS we do not support, declares none where one is needed, or is unreadable (cut
            // short, say): the transaction is rolled back, so what was read before is not kept either.
            summary.Print(null, clock.Elapsed);
            return Fail($"{e.Message} Không nhập thửa nào / nothing was imported.");
        }

        clock.Stop();
        if (stored.Inserted + stored.Updated == 0)
        {
            summary.Print(null, clock.Elapsed);
            return Refuse("Không có đối tượng hợp lệ nào; không nhập gì / no feature was accepted: nothing was imported.");
        }
        if (limit is not null && limit.IsExceeded(summary.Rejected, summary.Read))
        {
            summary.Print(null, clock.Elapsed);
            return Refuse($"Bị loại {summary.Rejected:N0} đối tượng, vượt --max-rejected {limit}; không nhập gì / "
                + $"{summary.Rejected:N0} of {summary.Read:N0} features rejected, more than --max-rejected {limit}: nothing was imported.");
        }

        await import.CommitAsync(ct);
        summary.Print(stored, clock.Elapsed);
        return 0;
    }

    /// <summary>Whether the file's declared CRS (as written in it) is <paramref name="srid"/>; an unsupported one is not.</summary>
    private static bool Declares(string declared, int srid)
    {
        try
        {
            return CrsRegistry.ParseSrid(declared) == srid;
        }
        catch (UnknownCrsException)
        {
            return false;
        }
    }

    /// <summary>A declared CRS for one line: a .prj's WKT can run to a kilobyte.</summary>
    private static string Shorten(string crs) => crs.Length <= 80 ? crs : crs[..80] + "…";

    private static async Task<int> GenerateParcelsAsync(int count, int seed, string? connection, CancellationToken ct)
    {
        var cityOptions = new SyntheticCityOptions { ParcelCount = count, Seed = seed };
        try
        {
            cityOptions.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            return Fail($"Invalid synthetic city: {e.Message}");
        }

        await MigrateAsync(OwnerConnectionString(connection), ct);
        await using var dataSource = PostGisDataSource.Create(ConnectionString(connection));

        var city = SyntheticCity.Generate(cityOptions);
        var loader = new ParcelBulkLoader(new PostGisParcelStore(dataSource));
        var clock = Stopwatch.StartNew();
        var stored = await WithProgressAsync($"Generating {count:N0} parcels", count, progress =>
            loader.LoadAsync(city.Parcels.ToAsyncEnumerable(), new Progress<int>(n => progress.Increment(n)), ct));
        clock.Stop();

        AnsiConsole.MarkupLine(
            $"Stored [green]{stored.Inserted + stored.Updated:N0}[/] parcels " +
            $"({stored.Inserted:N0} inserted, {stored.Updated:N0} updated) in {clock.Elapsed.TotalSeconds:F1} s: " +
            $"[bold]{Rate(stored.Inserted + stored.Updated, clock.Elapsed):N0} parcels/s[/].");
        return 0;
    }

    /// <param name="total">Units of work, or null when unknown (the bar then shows activity only).</param>
    private static async Task<T> WithProgressAsync<T>(string description, long? total, Func<ProgressTask, Task<T>> work)
    {
        var maxValue = Math.Max(total ?? 1, 1);
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // Redirected output (CI logs, tests): no live bar, only the summary; the task just absorbs updates.
            return await work(new ProgressTask(0, description, maxValue));
        }

        T result = default!;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: maxValue);
                task.IsIndeterminate = total is null;
                result = await work(task);
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>Applies the pending migrations on <paramref name="connection"/>, which must be the schema owner's.</summary>
    private static async Task<int> MigrateAsync(string connection, CancellationToken ct)
    {
        await using var dataSource = PostGisDataSource.Create(connection);
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
        return await DatabaseMigrator.MigrateAsync(dataSource, PlatformSchema.Migrations, loggers.CreateLogger(typeof(DatabaseMigrator)), ct);
    }

    internal static Option<string?> ConnectionOption() => new("--connection")
    {
        Description = $"PostgreSQL connection string; defaults to {PlatformConfiguration.PostgresKey} " +
                      "(appsettings.json or the ConnectionStrings__Postgres environment variable).",
    };

    internal static string ConnectionString(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return option;
        }

        return Configuration()[PlatformConfiguration.PostgresKey] is { Length: > 0 } value
            ? value
            : throw new ConfigurationException(
                $"{PlatformConfiguration.PostgresKey} is not set: pass --connection or set ConnectionStrings__Postgres.");
    }

    /// <summary>
    /// Migrations run as the schema's owner: ConnectionStrings:PostgresOwner when set, else the connection the verb
    /// works with (the application's role may own nothing and then cannot migrate).
    /// </summary>
    internal static string OwnerConnectionString(string? working) =>
        Configuration()[PlatformConfiguration.PostgresOwnerKey] is { Length: > 0 } owner ? owner : ConnectionString(working);

    /// <summary>The settings a verb falls back on: the silo's appsettings.json and the environment.</summary>
    internal static IConfiguration Configuration() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return BadInput;
    }

    private static int Refuse(string message)
    {
        Console.Error.WriteLine(message);
        return Refused;
    }

    private static double Rate(long count, TimeSpan elapsed) =>
        elapsed > TimeSpan.Zero ? count / elapsed.TotalSeconds : 0;

    /// <summary>What an import read, repaired and rejected; filled by the reading task, printed at the end.</summary>
    private sealed class ImportSummary
    {
        private readonly Dictionary<RejectionReason, List<Rejection>> _rejections = [];
        private readonly Dictionary<RejectionReason, int> _rejectionCounts = [];
        private long _read;
        private long _accepted;
        private long _repaired;

        public long Read => _read;

        public long Rejected => _rejectionCounts.Values.Sum();

        public void Add(ParcelReadResult result)
        {
            _read++;
            switch (result)
            {
                case AcceptedParcel accepted:
                    _accepted++;
                    _repaired += accepted.Repaired ? 1 : 0;
                    break;
                case Rejection rejection:
                    _rejectionCounts[rejection.Reason] = _rejectionCounts.GetValueOrDefault(rejection.Reason) + 1;
                    if (!_rejections.TryGetValue(rejection.Reason, out var examples))
                    {
                        _rejections[rejection.Reason] = examples = [];
                    }

                    if (examples.Count < ExamplesPerReason)
                    {
                        examples.Add(rejection);
                    }

                    break;
            }
        }

        /// <param name="stored">What was committed, or null when the import was rolled back.</param>
        public void Print(UpsertResult? stored, TimeSpan elapsed)
        {
            var table = new Table().HideHeaders().AddColumns("", "");
            table.AddRow("Features read", _read.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("Accepted", _accepted.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("Imported", stored is null
                ? "none (rolled back: the import is all or nothing)"
                : $"{stored.Inserted + stored.Updated:N0} ({stored.Inserted:N0} inserted, {stored.Updated:N0} updated)");
            table.AddRow("Repaired geometries", _repaired.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("Rejected", Rejected.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("Elapsed", $"{elapsed.TotalSeconds:F1} s");
            table.AddRow("Throughput", $"{Rate(_accepted, elapsed):N0} parcels/s");
            AnsiConsole.Write(table);

            foreach (var (reason, count) in _rejectionCounts.OrderByDescending(r => r.Value))
            {
                AnsiConsole.MarkupLine($"[yellow]{reason}[/]: {count:N0}");
                foreach (var example in _rejections[reason])
                {
                    AnsiConsole.MarkupLine($"  {Markup.Escape(example.ToString())}");
                }
            }
        }
    }
}
