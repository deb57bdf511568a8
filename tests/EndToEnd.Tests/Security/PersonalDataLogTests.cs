using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using HcmCity.Gis.Tiles;
using HcmCity.Testing;
using HcmCity.ServiceDefaults;
using Npgsql;

namespace HcmCity.EndToEnd.Tests.Security;

/// <summary>
/// Personal data (applicants' and land owners' names, ID numbers, addresses, phones) is kept in restricted columns
/// and never written to a log. The platform runs as its own process on a PostgreSQL database of its own, logging
/// every category (ASP.NET Core, Kestrel, Npgsql, Orleans, ours) at Trace with scopes, in production's JSON format
/// and in the default console format; a parcel import keeps owner data; a citizen and an officer file dossiers
/// carrying applicant data; the officer reads one (the audited read) and approves it; bad requests carry personal
/// data; developers, OGC clients, tile clients and the public read the imported parcels and the permit. Then not one
/// of the values, in any encoding, is in anything the import verb or the platform wrote, nor in the audit log.
/// </summary>
public sealed partial class PersonalDataLogTests : IDisposable
{
    private const string Applications = "/api/permits/applications";

    private readonly string _directory = Directory.CreateTempSubdirectory("hcm-pdlog-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Recognisable, unique personal data: Vietnamese names and addresses with an ASCII tag, 12-digit CCCDs, phones.</summary>
    private sealed class People
    {
        public Person Applicant { get; } = Person.New("Nguyễn Văn Bímật", "Hẻm Riêng Tư", "Phường Sài Gòn");

        /// <summary>Filed at the counter by the officer.</summary>
        public Person CounterApplicant { get; } = Person.New("Lê Thị Kínđáo", "Ngõ Ẩn Danh", "Phường Bàn Cờ");

        /// <summary>Only ever sent in bad requests; the CCCD typed with spaces is refused.</summary>
        public Person Refused { get; } = Person.New("Phạm Hữu Thầmkín", "Kiệt Giấu Tên", "Phường Chợ Lớn");

        public string TypedCccd { get; } = $"079 {Digits(3)} {Digits(3)} {Digits(3)}";

        /// <summary>Land user of every imported lot (file attributes TENCHU, CCCD, DIACHI, SODIENTHOAI).</summary>
        public Person Owner { get; } = Person.New("Trần Thị Chủđất", "Đường Bí Mật", "Phường Tân Định");

        public IEnumerable<(string Label, string Value)> All =>
        [
            .. Applicant.Fields("applicant"), .. CounterApplicant.Fields("counter applicant"),
            .. Refused.Fields("refused applicant"), ("typed CCCD", TypedCccd), .. Owner.Fields("land owner"),
        ];
    }

    private sealed record Person(string Name, string CitizenId, string Address, string Phone, string Tag)
    {
        public static Person New(string name, string street, string ward)
        {
            var tag = "pd" + Guid.NewGuid().ToString("N")[..10];
            return new Person($"{name} {tag}n", "079" + Digits(9), $"{Random.Shared.Next(2, 300)} {street} {tag}a, {ward}",
                $"+84 9{Digits(2)} {Digits(3)} {Digits(3)}", tag);
        }

        public IEnumerable<(string Label, string Value)> Fields(string who) =>
        [
            ($"{who} name", Name), ($"{who} CCCD", CitizenId), ($"{who} address", Address), ($"{who} phone", Phone),
            ($"{who} tag", Tag),
        ];

        public object Body => new { citizenId = CitizenId, fullName = Name, address = Address, phone = Phone };
    }

    private static string Digits(int count) =>
        string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + Random.Shared.Next(10))));

    [Theory]
    [InlineData("json")]
    [InlineData("simple")]
    public async Task Personal_data_of_applicants_and_land_owners_reaches_no_log_in_any_flow(string format)
    {
        var people = new People();
        var unit = "pd" + Guid.NewGuid().ToString("N")[..8];
        await using var database = await PostgresDatabase.CreateAsync(Ct);

        // 1. The operator imports a cadastral export keeping the owners' data (restricted column). The verb prints its
        // migrations' log, a summary and examples of each rejection.
        var import = await SiloProcess.RunAsync(
            ["import", "parcels", WriteCadastralExport(unit, people.Owner), "--keep-personal", "--connection", database.ConnectionString]);
        Assert.True(import.Exit == 0, $"import exited with {import.Exit}: {import.Stderr}{import.Stdout}");
        // The summary is laid out 80 columns wide: lines wrapped at a space are joined again.
        var printed = import.Stdout + import.Stderr;
        var importOutput = printed + "\n" + Wrapped().Replace(printed, " ");
        Assert.Contains("Applied migration", importOutput, StringComparison.Ordinal);
        Assert.Contains("Features read", importOutput, StringComparison.Ordinal);
        foreach (var reason in new[] { "MissingNumber: 1", "DuplicateKey: 1", "NotPolygonal: 1", "Malformed: 3" })
        {
            Assert.Contains(reason, importOutput, StringComparison.Ordinal);
        }
        // The operator still learns what is wrong with each unreadable feature.
        Assert.Contains("Expected token is 'StartArray' but was 'String'", importOutput, StringComparison.Ordinal);
        Assert.Equal(Lots, await ScalarAsync<long>(database,
            "SELECT count(*) FROM parcels WHERE unit = $1 AND personal->>'TENCHU' = $2 AND personal->>'CCCD' = $3",
            unit, people.Owner.Name, people.Owner.CitizenId));

        // 2. The platform, logging everything, on that database.
        var platform = await PlatformProcess.StartAsync(Settings(database.ConnectionString, format), Ct);
        await using var _ = platform;
        // Every response but the officer's read of the dossier, for the same search.
        var outputs = new List<(string What, string Text)>();
        var dossier = await DriveAsync(platform, unit, people, outputs);
        var exit = await platform.StopAsync();
        var logs = platform.Stdout + platform.Stderr;

        // The flows happened: personal data is in the restricted tables and reached the officer who read it...
        Assert.Equal(people.Applicant.Name, await ScalarAsync<string>(database,
            "SELECT full_name FROM restricted.permit_applicants WHERE citizen_id = $1", people.Applicant.CitizenId));
        Assert.Equal(people.CounterApplicant.Phone, await ScalarAsync<string>(database,
            "SELECT phone FROM restricted.permit_applicants WHERE citizen_id = $1", people.CounterApplicant.CitizenId));
        Assert.Equal(0L, await ScalarAsync<long>(database,
            "SELECT count(*) FROM restricted.permit_applicants WHERE citizen_id = $1", people.Refused.CitizenId));
        // ... and that one read, only that one, is on the audit record (without the data itself).
        Assert.Equal(1L, await ScalarAsync<long>(database,
            "SELECT count(*) FROM audit_log WHERE action = 'personal-data.read' AND subject = $1 AND actor = 'demo-officer'", dossier));
        var audit = await ScalarAsync<string>(database,
            "SELECT string_agg(concat_ws(' ', actor, role, action, subject, details), E'\\n' ORDER BY seq) FROM audit_log");
        Assert.Contains("permit.submit", audit, StringComparison.Ordinal);

        // The capture worked, at the most verbose level, to the end of the process.
        Assert.True(exit == 0, $"The platform exited with {exit} after SIGTERM.\n{Tail(platform.Stderr)}");
        var entries = LogEntries(logs, format);
        var logText = format == "json" ? logs + "\n" + Unescaped(logs) : logs;
        Assert.True(entries.Count > 1000, $"Only {entries.Count} log entries captured.\n{Tail(logs)}");
        AssertLogged(entries, "Trace", "Orleans");
        AssertLogged(entries, "Debug", "Microsoft.AspNetCore");
        AssertLogged(entries, "Debug", "Microsoft.AspNetCore.Server.Kestrel");
        AssertLogged(entries, "Debug", "Npgsql");
        AssertLogged(entries, "Information", "Microsoft.Hosting.Lifetime");
        var origin = platform.BaseAddress.ToString().TrimEnd('/');
        Assert.Contains($"Request starting HTTP/1.1 POST {origin}{Applications}", logText, StringComparison.Ordinal);
        Assert.Contains($"Request finished HTTP/1.1 GET {origin}{Applications}/{dossier} - 200", logText, StringComparison.Ordinal);
        Assert.Contains($"Request finished HTTP/1.1 POST {origin}{Applications} - 400", logText, StringComparison.Ordinal);
        Assert.Contains($"RequestPath:{Applications} RequestId:", logText, StringComparison.Ordinal); // scopes too
        // Npgsql logged the very commands that carried the applicant's data and the audit entry of the read...
        Assert.Contains("INSERT INTO restricted.permit_applicants", logText, StringComparison.Ordinal);
        Assert.Contains("FROM restricted.permit_applicants WHERE id = $1", logText, StringComparison.Ordinal);
        Assert.Contains("SELECT audit_append(", logText, StringComparison.Ordinal);
        Assert.Contains("Application is shutting down", logText, StringComparison.Ordinal);

        // ... but not one personal value, in any form, is anywhere in what was written.
        var leaks = new List<string>();
        leaks.AddRange(Leaks("the import verb's output", importOutput, format: "simple", people.All));
        leaks.AddRange(Leaks("the platform's log", logs, format, people.All));
        leaks.AddRange(Leaks("the audit log", audit, format: "simple", people.All));
        foreach (var (what, text) in outputs)
        {
            leaks.AddRange(Leaks(what, text, format: "simple", people.All));
        }
        Assert.True(leaks.Count == 0, string.Join("\n\n", leaks));
    }

    private static Dictionary<string, string?> Settings(string postgres, string format)
    {
        var settings = new Dictionary<string, string?>
        {
            // Permits, applicants, audit and the imported land records on PostgreSQL, as in the permit tests.
            ["ConnectionStrings:Postgres"] = postgres,
            // Off by default with a real database; the test signs in with demo accounts.
            ["Auth:DemoSignIn"] = "true",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:Console:LogLevel:Default"] = "Trace",
            ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
            // Production's structured log lines (docker-compose.yml), or the default console format (named, so that
            // its formatter options, scopes included, apply).
            ["Logging:Format"] = format == "json" ? "json" : null,
            ["Logging:Console:FormatterName"] = format == "json" ? null : "simple",
        };
        // Every category the hosts quiet by default (Microsoft.AspNetCore, Orleans, Npgsql, ...) is at Trace too.
        var quieted = ServiceDefaultsExtensions.LogLevelDefaults.Keys.Where(k => k.StartsWith("Logging:LogLevel:", StringComparison.Ordinal)).ToList();
        Assert.Contains("Logging:LogLevel:Npgsql", quieted);
        foreach (var category in quieted)
        {
            settings[category] = "Trace";
        }
        return settings;
    }

    /// <summary>Every flow that carries personal data, each checked to have succeeded (or failed as it must).</summary>
    private async Task<string> DriveAsync(PlatformProcess platform, string unit, People people, List<(string, string)> outputs)
    {
        var http = platform.Http;
        var citizen = await http.DemoTokenAsync("citizen");
        var officer = await http.DemoTokenAsync("officer", unit);
        var otherOfficer = await http.DemoTokenAsync("officer", "99999");
        var developer = await http.DemoTokenAsync("developer");

        var lots = await JsonAsync(await SendAsync(http, HttpMethod.Get, $"/api/parcels?unit={unit}&limit=100"), HttpStatusCode.OK);
        var ids = lots.GetProperty("features").EnumerateArray()
            .OrderBy(f => int.Parse(f.GetProperty("properties").GetProperty("number").GetString()!, CultureInfo.InvariantCulture))
            .Select(f => f.GetProperty("id").GetInt64())
            .ToList();
        Assert.Equal(Lots, ids.Count);

        // A citizen files a dossier with their data; an officer files another at the counter.
        var created = await JsonAsync(await SendAsync(http, HttpMethod.Post, Applications, citizen, Application(ids[0], 1, people.Applicant.Body)),
            HttpStatusCode.Created);
        var number = created.GetProperty("number").GetString()!;
        var secret = created.GetProperty("trackingSecret").GetString()!;
        outputs.Add(("the citizen's submission receipt", created.GetRawText()));
        await JsonAsync(await SendAsync(http, HttpMethod.Post, Applications, officer, Application(ids[1], 2, people.CounterApplicant.Body)),
            HttpStatusCode.Created);

        // The officer of the unit reads the dossier (the audited read of personal data) and works it to a permit.
        var read = await JsonAsync(await SendAsync(http, HttpMethod.Get, $"{Applications}/{number}", officer), HttpStatusCode.OK);
        Assert.Equal(people.Applicant.Name, read.GetProperty("applicant").GetProperty("fullName").GetString());
        Assert.Equal(people.Applicant.CitizenId, read.GetProperty("applicant").GetProperty("citizenId").GetString());
        outputs.Add(("the officer's dossier list",
            (await JsonAsync(await SendAsync(http, HttpMethod.Get, Applications, officer), HttpStatusCode.OK)).GetRawText()));
        // Another unit's officer is told the dossier does not exist; other roles are refused by role.
        foreach (var (token, status) in new[] { (otherOfficer, HttpStatusCode.NotFound), (developer, HttpStatusCode.Forbidden), (citizen, HttpStatusCode.Forbidden) })
        {
            using var refused = await SendAsync(http, HttpMethod.Get, $"{Applications}/{number}", token);
            Assert.Equal(status, refused.StatusCode);
        }
        await JsonAsync(await SendAsync(http, HttpMethod.Post, $"{Applications}/{number}/transitions", officer,
            new { action = "start-appraisal" }), HttpStatusCode.OK);
        var approved = await JsonAsync(await SendAsync(http, HttpMethod.Post, $"{Applications}/{number}/transitions", officer,
            new { action = "approve", reason = "Đủ điều kiện cấp phép" }), HttpStatusCode.OK);
        var permit = approved.GetProperty("permitNumber").GetString();
        Assert.False(string.IsNullOrEmpty(permit), $"No e-permit was issued: {approved.GetRawText()}");

        // The citizen tracks it, and anyone reads the permit and its public page.
        await PublicAsync(http, outputs, $"/api/track/{number}?secret={Uri.EscapeDataString(secret)}", number);
        await PublicAsync(http, outputs, $"/api/permits/{permit}", permit!);
        await PublicAsync(http, outputs, $"/api/permits/{permit}/verify", permit!);
        await PublicAsync(http, outputs, $"/permits/{permit}", permit!);

        // Bad requests carrying personal data: malformed JSON, another media type, a mistyped CCCD, a missing field,
        // wrong types, a footprint off the lot and a footprint that is not GeoJSON.
        var refusedBody = people.Refused.Body;
        var truncated = JsonSerializer.Serialize(Application(ids[2], 3, refusedBody))[..^40];
        await BadAsync(http, citizen, new StringContent(truncated, Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, "body");
        await BadAsync(http, citizen, new StringContent(JsonSerializer.Serialize(Application(ids[2], 3, refusedBody)), Encoding.UTF8, "text/plain"),
            HttpStatusCode.UnsupportedMediaType, "body");
        await BadAsync(http, citizen, JsonContent.Create(Application(ids[2], 3, new
        {
            citizenId = people.TypedCccd, fullName = people.Refused.Name, address = people.Refused.Address, phone = people.Refused.Phone,
        })), HttpStatusCode.BadRequest, "applicant.citizenId");
        await BadAsync(http, citizen, JsonContent.Create(Application(ids[2], 3, new
        {
            citizenId = people.Refused.CitizenId, fullName = people.Refused.Name, address = people.Refused.Address,
        })), HttpStatusCode.BadRequest, "applicant.phone");
        await BadAsync(http, citizen, JsonContent.Create(new
        {
            parcelId = people.Refused.Name, permitType = "new-construction", applicant = refusedBody,
        }), HttpStatusCode.BadRequest, "body");
        await BadAsync(http, citizen, JsonContent.Create(new
        {
            parcelId = ids[2], permitType = "new-construction", sitePlan = new { floors = people.Refused.Phone }, applicant = refusedBody,
        }), HttpStatusCode.BadRequest, "body");
        await BadAsync(http, citizen, JsonContent.Create(Application(ids[2], 3, refusedBody, shift: 500)), HttpStatusCode.BadRequest, "sitePlan.footprint");
        await BadAsync(http, citizen, JsonContent.Create(new
        {
            parcelId = ids[2], permitType = "new-construction", applicant = refusedBody,
            sitePlan = new { floors = 3, height = 12.0, basements = 0, roadWidth = 6.0, footprint = new { type = people.Refused.Name, coordinates = people.Refused.Address } },
        }), HttpStatusCode.BadRequest, "sitePlan.footprint");

        // Developers (with an API key), OGC clients, tile clients and the public read the imported lots.
        var key = await JsonAsync(await SendAsync(http, HttpMethod.Post, "/api/developer/keys", developer, new { name = "leak check" }), HttpStatusCode.Created);
        var apiKey = key.GetProperty("key").GetString()!;
        var corners = lots.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().Take(4).ToList();
        var (lon, lat) = (corners.Average(c => c[0].GetDouble()), corners.Average(c => c[1].GetDouble()));
        var (x, y) = TileMath.TileAt(lon, lat, 18);
        var bbox = string.Create(CultureInfo.InvariantCulture, $"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}");
        string[] paths =
        [
            $"/api/parcels?unit={unit}", $"/api/parcels/{ids[0]}", $"/api/parcels/{ids[0]}?crs=EPSG:9210",
            string.Create(CultureInfo.InvariantCulture, $"/api/parcels/at?lon={lon}&lat={lat}"),
            $"/api/parcels?bbox={bbox}",
            $"/ogc/collections/parcels/items?bbox={bbox}&limit=1000", $"/ogc/collections/parcels/items/{ids[0]}",
            $"/tiles/parcels/18/{x}/{y}.mvt",
        ];
        foreach (var client in new[] { apiKey, null })
        {
            foreach (var path in paths)
            {
                await PublicAsync(http, outputs, path, unit, apiKey: client);
            }
        }
        return number;
    }

    private const int Lots = 4;

    /// <summary>An application for a 15 × 15 m lot whose south-west corner is lot <paramref name="lot"/>'s (1-based).</summary>
    private static object Application(long parcelId, int lot, object applicant, double shift = 0)
    {
        var (x, y) = (LotEast(lot) + 1 + shift, LotNorth + 1);
        return new
        {
            parcelId,
            permitType = "new-construction",
            sitePlan = new
            {
                floors = 3,
                height = 12.0,
                basements = 0,
                roadWidth = 6.0,
                footprint = new { type = "Polygon", coordinates = new[] { new[] { new[] { x, y }, new[] { x + 8, y }, new[] { x + 8, y + 12 }, new[] { x, y + 12 }, new[] { x, y } } } },
            },
            applicant,
        };
    }

    private static double LotEast(int lot) => 604500.0 + lot * 20;

    private const double LotNorth = 1190900.0;

    /// <summary>
    /// A cadastral export in EPSG:9210 with the field names of HCMC's land database: <see cref="Lots"/> lots of
    /// <paramref name="owner"/>, and features the import rejects, also carrying the owner's data.
    /// </summary>
    private string WriteCadastralExport(string unit, Person owner)
    {
        var path = Path.Combine(_directory, "thua-dat.geojson");
        using (var stream = File.Create(path))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartObject("crs");
            json.WriteString("type", "name");
            json.WriteStartObject("properties");
            json.WriteString("name", "EPSG:9210");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("features");
            for (var n = 1; n <= Lots; n++)
            {
                Feature(json, unit, owner, n, Square(LotEast(n), LotNorth));
            }
            Feature(json, unit, owner, null, Square(LotEast(9), LotNorth)); // no parcel number
            Feature(json, unit, owner, 2, Square(LotEast(2), LotNorth - 100)); // the key of lot 2 again
            Feature(json, unit, owner, 11, w =>
            {
                w.WriteString("type", "Point");
                w.WriteStartArray("coordinates");
                w.WriteNumberValue(LotEast(11));
                w.WriteNumberValue(LotNorth);
                w.WriteEndArray();
            });
            // Unreadable geometries holding the owner's data, as a shifted export might: the reader's messages quote
            // such values, and the rejections are printed.
            Feature(json, unit, owner, 12, w =>
            {
                w.WriteString("type", "Polygon");
                w.WriteString("coordinates", owner.Name);
            });
            Feature(json, unit, owner, 13, w =>
            {
                w.WriteString("type", owner.Name);
                w.WriteStartArray("coordinates");
                w.WriteEndArray();
            });
            Feature(json, unit, owner, 14, geometry: null, geometryText: $"O'Brien {owner.Address}");
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return path;
    }

    /// <param name="geometryText">Written as the geometry instead of an object when <paramref name="geometry"/> is null.</param>
    private static void Feature(Utf8JsonWriter json, string unit, Person owner, int? number, Action<Utf8JsonWriter>? geometry, string? geometryText = null)
    {
        json.WriteStartObject();
        json.WriteString("type", "Feature");
        json.WriteStartObject("properties");
        json.WriteString("XAID", unit);
        json.WriteNumber("SHBANDO", 5);
        if (number is { } n)
        {
            json.WriteNumber("SHTHUA", n);
        }
        json.WriteNumber("DIENTICH", 225.0);
        json.WriteString("KHLOAIDAT", "ODT");
        json.WriteString("TENCHU", owner.Name);
        json.WriteString("CCCD", owner.CitizenId);
        json.WriteString("DIACHI", owner.Address);
        json.WriteString("SODIENTHOAI", owner.Phone);
        json.WriteEndObject();
        if (geometry is null)
        {
            json.WriteString("geometry", geometryText);
        }
        else
        {
            json.WriteStartObject("geometry");
            geometry(json);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static Action<Utf8JsonWriter> Square(double east, double north) => json => GeoJsonWriting.WriteSquareLot(json, east, north);

    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, HttpMethod method, string path, string? token = null, object? body = null, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await http.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using var _ = response;
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A 200 to anyone (with <paramref name="apiKey"/> when given) whose body names <paramref name="expected"/>, kept for the leak check.</summary>
    private static async Task PublicAsync(HttpClient http, List<(string, string)> outputs, string path, string expected, string? apiKey = null)
    {
        using var response = await SendAsync(http, HttpMethod.Get, path, apiKey: apiKey);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Contains(expected, text, StringComparison.Ordinal);
        outputs.Add(($"GET {path}{(apiKey is null ? "" : " with an API key")}", text));
    }

    /// <summary>A refused submission: <paramref name="status"/> as problem+json naming <paramref name="field"/>.</summary>
    private static async Task BadAsync(HttpClient http, string token, HttpContent content, HttpStatusCode status, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Applications) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"Expected {(int)status} naming {field}, got {(int)response.StatusCode}: {text}");
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"Expected errors to name {field}: {text}");
    }

    private static async Task<T> ScalarAsync<T>(PostgresDatabase database, string sql, params object[] values)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }

    private sealed record LogEntry(string Level, string Category);

    /// <summary>Level and category of each entry of the JSON console format or of the default console format.</summary>
    private static List<LogEntry> LogEntries(string logs, string format)
    {
        var entries = new List<LogEntry>();
        foreach (var line in logs.Split('\n'))
        {
            if (format == "json")
            {
                using var json = Json(line);
                if (json is not null && json.RootElement.TryGetProperty("LogLevel", out var level) && json.RootElement.TryGetProperty("Category", out var category))
                {
                    entries.Add(new LogEntry(level.GetString()!, category.GetString()!));
                }
            }
            else if (SimpleEntry().Match(line) is { Success: true } match)
            {
                entries.Add(new LogEntry(match.Groups[1].Value switch
                {
                    "trce" => "Trace",
                    "dbug" => "Debug",
                    "info" => "Information",
                    "warn" => "Warning",
                    "fail" => "Error",
                    _ => "Critical",
                }, match.Groups[2].Value));
            }
        }
        return entries;
    }

    private static void AssertLogged(List<LogEntry> entries, string level, string categoryPrefix) =>
        Assert.True(entries.Any(e => e.Level == level && e.Category.StartsWith(categoryPrefix, StringComparison.Ordinal)),
            $"No {level} entry of {categoryPrefix}* was captured; categories seen: " +
            string.Join(", ", entries.Select(e => $"{e.Category}/{e.Level}").Distinct().Order().Take(200)));

    private static JsonDocument? Json(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Where any value appears in <paramref name="text"/>: as written, JSON-escaped (\u1EC5 or \u1ec5), decomposed
    /// (NFD), percent-encoded, by its ASCII tag alone, or inside a JSON log line once unescaped.
    /// </summary>
    private static IEnumerable<string> Leaks(string where, string text, string format, IEnumerable<(string Label, string Value)> values)
    {
        var unescaped = format == "json" ? Unescaped(text) : "";
        foreach (var (label, value) in values)
        {
            var escaped = JsonSerializer.Serialize(value)[1..^1];
            string[] forms =
            [
                value, escaped, LowerHexEscapes().Replace(escaped, m => m.Value.ToLowerInvariant()),
                value.Normalize(NormalizationForm.FormD), Uri.EscapeDataString(value),
            ];
            foreach (var form in forms.Distinct())
            {
                foreach (var haystack in new[] { text, unescaped })
                {
                    var at = haystack.IndexOf(form, StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        var from = Math.Max(0, at - 400);
                        yield return $"{where} holds the {label} ({form}):\n…{haystack[from..Math.Min(haystack.Length, at + form.Length + 400)]}…";
                        break;
                    }
                }
            }
        }
    }

    /// <summary>Every string (names and values) of every JSON line of <paramref name="text"/>, unescaped, a line each.</summary>
    private static string Unescaped(string text)
    {
        var strings = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            using var json = Json(line);
            if (json is not null)
            {
                Strings(json.RootElement, strings);
            }
        }
        return strings.ToString();
    }

    private static void Strings(JsonElement element, StringBuilder into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                into.Append(element.GetString()).Append('\n');
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    into.Append(property.Name).Append('\n');
                    Strings(property.Value, into);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Strings(item, into);
                }
                break;
        }
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    [GeneratedRegex(@" *\n *")]
    private static partial Regex Wrapped();

    [GeneratedRegex(@"\\u[0-9A-F]{4}")]
    private static partial Regex LowerHexEscapes();

    [GeneratedRegex(@"^(trce|dbug|info|warn|fail|crit): ([^\[\s]+)\[")]
    private static partial Regex SimpleEntry();
}
