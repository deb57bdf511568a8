using HcmCity.Abstractions.Permits;
using HcmCity.Storage.EPermits;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HcmCity.Api.EPermits;

public static class EPermitsExtensions
{
    /// <summary>
    /// Electronic permits: the register, keys and service (<see cref="EPermitService"/>), and the
    /// <see cref="IPermitIssuer"/> the approval of a dossier calls.
    /// </summary>
    public static IHostApplicationBuilder AddEPermits(this IHostApplicationBuilder builder)
    {
        builder.AddEPermitRegister();
        builder.Services.TryAddSingleton<IPermitIssuer, EPermitIssuer>();
        return builder;
    }
}
