using System.Diagnostics;
using System.Globalization;

namespace HcmCity.Gis.Tests.Crs;

/// <summary>
/// PROJ's command-line tools (Debian proj-bin), an independent implementation run at test time as the reference.
/// Missing tools fail the test: the test script installs them, a skipped accuracy test would prove nothing.
/// </summary>
internal static class Proj
{
    /// <summary>Coordinate Frame values of Decision 05/2007/QĐ-BTNMT (EPSG:6960) written as PROJ Position Vector.</summary>
    public const string Vn2000ToWgs84 =
        "+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278";

    public const string Wgs84 = "+proj=longlat +datum=WGS84 +no_defs";

    public const string Vn2000 = "+proj=longlat +ellps=WGS84 " + Vn2000ToWgs84 + " +no_defs";

    public static string Tm3(double centralMeridian) => string.Create(
        CultureInfo.InvariantCulture,
        $"+proj=tmerc +lat_0=0 +lon_0={centralMeridian} +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 {Vn2000ToWgs84} +units=m +no_defs");

    /// <summary>Transforms the points with <c>cs2cs</c>; geographic input and output are longitude, latitude.</summary>
    public static IReadOnlyList<(double X, double Y)> Cs2cs(string from, string to, IReadOnlyList<(double X, double Y)> points)
    {
        var arguments = new List<string> { "-f", "%.10f" };
        arguments.AddRange(from.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        arguments.Add("+to");
        arguments.AddRange(to.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var input = string.Join('\n', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:R} {p.Y:R}")));
        var output = Run("cs2cs", arguments, input);
        var results = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Select(parts => (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(points.Count, results.Count);
        return results;
    }

    /// <summary>The PROJ string PROJ's EPSG database gives for a CRS (<c>projinfo EPSG:xxxx -o PROJ</c>).</summary>
    public static string Definition(int srid)
    {
        var output = Run("projinfo", ["-q", "-o", "PROJ", $"EPSG:{srid}"], "");
        return output.Trim().Replace("+type=crs", "", StringComparison.Ordinal).Trim();
    }

    private static string Run(string tool, IEnumerable<string> arguments, string input)
    {
        var path = Locate(tool);
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {path}.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Write('\n');
        process.StandardInput.Close();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} failed ({process.ExitCode}): {error.Result}");
        return output.Result;
    }

    private static string Locate(string tool)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin");
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"PROJ's '{tool}' was not found on PATH. Run scripts/services.sh start, which installs proj-bin.");
        return tool;
    }
}
