using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HcmCity.Web.Auth;

/// <summary>
/// Where a signed-in user may act: an officer within the administrative unit of the "unit" claim, an inspector
/// within the wards listed by "area" claims (one ward code per claim; a JSON array claim in the token). A missing
/// claim scopes the user to nothing, never to everything.
/// </summary>
public static class UserScope
{
    public const string UnitClaim = "unit";

    public const string AreaClaim = "area";

    /// <summary>The officer's unit, or null when the token names none.</summary>
    public static string? Unit(this ClaimsPrincipal user) =>
        user.FindFirst(UnitClaim)?.Value is { Length: > 0 } unit ? unit : null;

    /// <summary>The wards the inspector covers (empty when the token lists none).</summary>
    public static IReadOnlySet<string> Area(this ClaimsPrincipal user) =>
        user.FindAll(AreaClaim).Select(c => c.Value).Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);

    public static ProblemHttpResult NoUnit() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: "Tài khoản không gắn đơn vị / No unit", detail: "The officer's token carries no unit claim.");

    public static ProblemHttpResult NoArea() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: "Tài khoản không gắn địa bàn / No area", detail: "The inspector's token lists no ward (area claim).");

    public static ProblemHttpResult OutsideUnit(string what) => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: "Ngoài đơn vị của cán bộ / Outside the officer's unit", detail: $"The {what} belongs to another unit.");

    public static ProblemHttpResult OutsideArea(string what) => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: "Ngoài địa bàn của thanh tra / Outside the inspector's area", detail: $"The {what} is in a ward the inspector does not cover.");
}
