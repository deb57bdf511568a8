namespace HcmCity.Web.Problems;

/// <summary>
/// Bad input from a client, naming the field (query parameter, route value or JSON member) at fault.
/// Mapped to 400 application/problem+json with <c>errors: { field: [message] }</c> by <see cref="ProblemExceptionHandler"/>.
/// </summary>
public sealed class BadInputException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;

    public static BadInputException For(string field, string message) => new(field, message);
}
