using HcmCity.Audit.Checkpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HcmCity.Audit;

/// <summary>
/// The latest signed audit checkpoint and the key that verifies it, public: anyone may keep copies outside the
/// platform, so that a rewrite of the trail cannot also rewrite every copy of its anchor. Only a seq, a hash and a time.
/// </summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("Audit");
        group.MapGet("/checkpoint", GetCheckpoint)
            .WithName("GetAuditCheckpoint")
            .WithSummary("Điểm neo đã ký của nhật ký kiểm toán / The latest signed checkpoint of the audit trail");
        group.MapGet("/checkpoint/key", GetKey)
            .WithName("GetAuditCheckpointKey")
            .WithSummary("Khóa công khai kiểm tra điểm neo / The public key that verifies audit checkpoints (PEM)");
        return app;
    }

    public static Results<Ok<AuditCheckpoint>, ProblemHttpResult> GetCheckpoint(AuditCheckpointing checkpointing) =>
        checkpointing.Directory?.Latest() is { } checkpoint
            ? TypedResults.Ok(checkpoint)
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Chưa có điểm neo / No checkpoint yet",
                detail: "No audit checkpoint has been signed yet.");

    public static ContentHttpResult GetKey(AuditCheckpointing checkpointing) =>
        TypedResults.Text(checkpointing.Key.ExportPublicKeyPem(), "application/x-pem-file");
}
