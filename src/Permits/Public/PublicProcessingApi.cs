using HcmCity.Permits.Dossiers;
using HcmCity.Web.Input;
using HcmCity.Web.OpenData;
using HcmCity.Web.Problems;

namespace HcmCity.Permits.Public;

/// <summary>
/// Công khai kết quả giải quyết thủ tục hành chính: how permitting is doing, per ward and permit type, for residents,
/// the People's Council and the Fatherland Front, without signing in and without a field about a person.
/// </summary>
public static class PublicProcessingApi
{
    private static readonly string[] CsvColumns = ["ward", "procedure", "received", "resolved", "resolvedOnTime", "overdue", "medianDays"];

    public static IEndpointRouteBuilder MapPublicProcessingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/public/processing", GetAsync)
            .AllowAnonymous()
            .WithTags("Public")
            .WithName("PublicProcessingFigures")
            .WithSummary("Kết quả giải quyết hồ sơ cấp phép theo phường và thủ tục / Permit processing figures by ward and procedure " +
                "(received and resolved in the period from..to, overdue now, median working days; JSON or ?format=csv)");
        return app;
    }

    public static async Task<IResult> GetAsync(string? ward, string? procedure, string? from, string? to, string? format,
        HttpContext http, IPermitRepository repository, PermitClock clock, WorkingDayIndex days, CancellationToken cancellationToken)
    {
        var csv = OpenDataAnswer.IsCsv(format);
        var wardCode = ParcelInput.KeyPart(ward, "ward");
        if (procedure is { Length: > 0 } && !PermitTypeRules.Embedded.Types.ContainsKey(procedure))
        {
            throw BadInputException.For("procedure", $"Thủ tục không có / Expected one of: {string.Join(", ", PermitTypeRules.Embedded.Types.Keys)}.");
        }
        var fromDate = OpenDataAnswer.Date(from, "from");
        var toDate = OpenDataAnswer.Date(to, "to");
        if (fromDate > toDate)
        {
            throw BadInputException.For("to", "Ngày cuối trước ngày đầu / 'to' is before 'from'.");
        }
        var asOf = clock.Now;
        var today = Calendar.VietnamWorkingCalendar.DateInVietnam(asOf);
        var rows = await repository.ProcessingFiguresAsync(
            new ProcessingQuery(wardCode, procedure is { Length: > 0 } ? procedure : null, fromDate, toDate, today, days), cancellationToken);
        // "Overdue now" changes with the date alone, so the date is part of what the ETag covers.
        return OpenDataAnswer.Write(http, csv, asOf, rows, today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            CsvColumns, r => [r.Ward, r.Procedure, r.Received, r.Resolved, r.ResolvedOnTime, r.Overdue, r.MedianDays]);
    }
}
