using System.Globalization;
using Grpc.Core;
using OneStop.Grpc.V1;
using Core = OneStop.Hub.Mappings;

namespace OneStop.Hub.Grpc.Internal;

/// <summary>onestop.v1.MappingAdminService: the mappings in force and the last reload, translated from <see cref="Core.IMappingAdmin"/>.</summary>
internal sealed class MappingAdminGrpcService(Core.IMappingAdmin admin) : MappingAdminService.MappingAdminServiceBase
{
    public override Task<ListMappingsReply> ListMappings(ListMappingsRequest request, ServerCallContext context)
    {
        var status = admin.Status;
        var reply = new ListMappingsReply { Folder = status.Folder, Digest = status.Digest, ActiveSince = Iso(status.ActiveSince) };
        reply.Mappings.AddRange(status.Mappings.Select(m => new MappingInfo
        {
            Id = m.Id,
            Version = m.Version,
            VersionTag = m.VersionTag,
            File = m.File,
            LoadedAt = Iso(m.LoadedAt),
            SampleCount = m.SampleCount,
            SourceSchema = m.SourceSchema ?? "",
            TargetSchema = m.TargetSchema ?? "",
            ContentSha256 = m.ContentHash,
            Description = m.Description ?? "",
        }));
        reply.Upstreams.AddRange(status.Upstreams.Select(u => new UpstreamInfo
        {
            Id = u.Id,
            Version = u.Version,
            File = u.File,
            LoadedAt = Iso(u.LoadedAt),
            Protocol = u.Protocol,
            RequestMapping = u.RequestMapping,
            ReplyMapping = u.ReplyMapping,
            ContentSha256 = u.ContentHash,
        }));
        return Task.FromResult(reply);
    }

    public override Task<GetReloadReportReply> GetReloadReport(GetReloadReportRequest request, ServerCallContext context) =>
        Task.FromResult(new GetReloadReportReply
        {
            LastReload = admin.LastReload is { } last ? ToProto(last) : null,
            LastRefused = admin.LastRefused is { } refused ? ToProto(refused) : null,
        });

    public override async Task<ReloadReport> ReloadMappings(ReloadMappingsRequest request, ServerCallContext context) =>
        ToProto(await admin.ReloadNowAsync(context.CancellationToken).ConfigureAwait(false));

    private static ReloadReport ToProto(Core.MappingReloadReport r)
    {
        var proto = new ReloadReport
        {
            Id = r.Id,
            Time = Iso(r.Time),
            Outcome = r.Outcome,
            SamplesPassed = r.SamplesPassed,
            SamplesFailed = r.SamplesFailed,
            ServingDigest = r.Serving,
        };
        proto.Errors.AddRange(r.Errors.Select(e => new MappingProblem { File = e.File, FieldPath = e.FieldPath, Rule = e.Rule }));
        proto.Changed.AddRange(r.Changed);
        return proto;
    }

    private static string Iso(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);
}
