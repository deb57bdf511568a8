using HcmCity.Sites.Records;
using HcmCity.Web.Input;
using HcmCity.Web.OpenData;

namespace HcmCity.Sites.Public;

/// <summary>
/// Công khai: construction sites under monitoring and their confirmed violations by ward and month, without signing
/// in and without a field about a person.
/// </summary>
public static class PublicSitesApi
{
    private static readonly string[] CsvColumns = ["ward", "month", "sitesMonitored", "confirmedViolations"];

    public static IEndpointRouteBuilder MapPublicSitesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/public/sites", GetAsync)
            .AllowAnonymous()
            .WithTags("Public")
            .WithName("PublicSiteFigures")
            .WithSummary("Công trường được giám sát và vi phạm đã xác nhận theo phường và tháng / Monitored sites and confirmed " +
                "violations by ward and month (month yyyy-MM, default this month; JSON or ?format=csv)");
        return app;
    }

    public static async Task<IResult> GetAsync(string? ward, string? month, string? format, HttpContext http,
        ISiteRepository repository, TimeProvider time, CancellationToken cancellationToken)
    {
        var csv = OpenDataAnswer.IsCsv(format);
        var wardCode = ParcelInput.KeyPart(ward, "ward");
        var asOf = time.GetUtcNow();
        var today = DateOnly.FromDateTime(asOf.ToOffset(TimeSpan.FromHours(7)).DateTime);
        var query = new SiteFiguresQuery(wardCode, OpenDataAnswer.Month(month, "month") ?? new DateOnly(today.Year, today.Month, 1));
        var rows = await repository.SiteFiguresAsync(query, cancellationToken);
        return OpenDataAnswer.Write(http, csv, asOf, rows, query.MonthText, CsvColumns,
            r => [r.Ward, r.Month, r.SitesMonitored, r.ConfirmedViolations]);
    }
}
