namespace HcmCity.Web.Auth;

/// <summary>JWT bearer settings: any OIDC provider in production (Authority + Audience).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>OIDC authority (issuer URL). Empty in embedded mode, where the platform signs its own demo tokens.</summary>
    public string? Authority { get; set; }

    public string Audience { get; set; } = "hcmcity";

    /// <summary>Embedded mode only: the local issuer's HMAC key (base64, ≥ 32 bytes); random per process when empty.</summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Local sign-in with demo accounts for each role, refused outside embedded mode. Unset: on only where it is safe
    /// (<see cref="DemoSignInGate"/>); true: on by the operator's choice; false: off.
    /// </summary>
    public bool? DemoSignIn { get; set; }
}

/// <summary>Roles of the platform; each is also an authorization policy of the same name.</summary>
public static class Roles
{
    public const string Officer = "officer";
    public const string Inspector = "inspector";
    public const string Developer = "developer";
    public const string Citizen = "citizen";
    public const string Admin = "admin";

    public static readonly string[] All = [Officer, Inspector, Developer, Citizen, Admin];
}
