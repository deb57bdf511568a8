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
/// <c>generate parcels</c>. Bad input (missing file, unknown CRS) is one line on stderr and exit code 2.
/// </summary>
internal static class ParcelCommands
{
    private const int BadInput = 2;

    /// <summary>Rejection examples printed per reason; the rest are counted.</summary>
    private const int ExamplesPerReason = 3;

    public static IEnumerable<Command> Build() => [Import(), Generate(), Migrate()];

    private static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "GeoJSON or Shapefile of cadastral parcels." };
        var crs = new Option<string?>("--crs")
        {
            Description = "Source CRS, e.g. EPSG:9210 (VN-2000 / TM-3 105-45); overrides the file's own.",
        };
        var unit = new Option<string?>("--unit") { Description = "Administrative unit code for every parcel." };
        var keepPersonal = new Option<bool>("--keep-personal")
        {
            Description = "Keep owner names, addresses and ID numbers (restricted column; off by default).",
        };
        var connection = ConnectionOption();

        var parcels = new Command("parcels", "Import cadastral parcels into PostGIS (insert new keys, update known ones).")
        {
            file, crs, unit, keepPersonal, connection,
        };
        parcels.SetAction((parse, ct) => ImportParcelsAsync(
            parse.GetRequiredValue(file), parse.GetValue(crs), parse.GetValue(unit), parse.GetValue(keepPersonal),
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

    private static async Task<int> ImportParcelsAsync(
        FileInfo file, string? crs, string? unit, bool keepPersonal, string? connection, CancellationToken ct)
    {
        if (!file.Exists)
        {
            return Fail($"File not found: {file.FullName}");
        }

        int? srid;
        try
        {
            srid = crs is null ? null : CrsRegistry.ParseSrid(crs);
        }
        catch (UnknownCrsException e)
        {
            return Fail(e.Message);
        }

        await MigrateAsync(OwnerConnectionString(connection), ct);
        await using var dataSource = PostGisDataSource.Create(ConnectionString(connection));

        var options = new ParcelImportOptions(srid, unit, keepPersonal);
        var total = ParcelFileReader.CountFeatures(file.FullName);
        var summary = new ImportSummary();
        var loader = new ParcelBulkLoader(new PostGisParcelStore(dataSource));
        var clock = Stopwatch.StartNew();
        UpsertResult stored;
        try
        {
            stored = await WithProgressAsync($"Importing {file.Name}", total, async progress =>
            {
                async IAsyncEnumerable<Parcel> Accepted()
                {
                    await foreach (var batch in ParcelFileReader.ReadBatchesAsync(file.FullName, options, ct))
                    {
                        summary.Add(batch);
                        progress.Value = batch.FeaturesRead;
                        foreach (var parcel in batch.Parcels)
                        {
                            yield return parcel;
                        }
                    }
                }

                return await loader.LoadAsync(Accepted(), null, ct);
            });
        }
        catch (Exception e) when (e is UnknownCrsException or InvalidDataException)
        {
            // The file declares a CRS we do not support, declares none where one is needed, or is unreadable.
            return Fail(e.Message);
        }

        clock.Stop();
        summary.Print(stored, clock.Elapsed);
        return 0;
    }

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

        public void Add(ParcelImportBatch batch)
        {
            _read = batch.FeaturesRead;
            _accepted += batch.Parcels.Count;
            _repaired += batch.Repaired;
            foreach (var rejection in batch.Rejections)
            {
                _rejectionCounts[rejection.Reason] = _rejectionCounts.GetValueOrDefault(rejection.Reason) + 1;
                if (!_rejections.TryGetValue(rejection.Reason, out var examples))
                {
                    _rejections[rejection.Reason] = examples = [];
                }

                if (examples.Count < ExamplesPerReason)
                {
                    examples.Add(rejection);
                }
            }
        }

        public void Print(UpsertResult stored, TimeSpan elapsed)
        {
            var imported = stored.Inserted + stored.Updated;
            var table = new Table().HideHeaders().AddColumns("", "");
            table.AddRow("Features read", _read.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("Imported", $"{imported:N0} ({stored.Inserted:N0} inserted, {stored.Updated:N0} updated)");
            table.AddRow("Repaired geometries", _repaired.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("Rejected", _rejectionCounts.Values.Sum().ToString("N0", CultureInfo.InvariantCulture));
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
