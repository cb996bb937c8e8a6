using System.Globalization;
using Grpc.Core;
using OneStop.Grpc.V1;
using Core = OneStop.Hub.Mappings;

namespace OneStop.Hub.Grpc.Internal;

/// <summary>onestop.v1.MappingAdminService: the mappings in force and the last reload, translated from <see cref="Core.IMappingAdmin"/>.</summary>
internal sealed class MappingAdminGrpcService(Core.IMappingAdmin admin, Core.IMappingShadow shadow) : MappingAdminService.MappingAdminServiceBase
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

    public override async Task<ShadowRunReport> ShadowRun(ShadowRunRequest request, ServerCallContext context)
    {
        var candidate = new Core.ShadowCandidate(request.Folder, [.. request.Files.Select(f => new Core.CandidateFile(f.Path, f.Content))]);
        var r = await shadow.RunAsync(candidate, context.CancellationToken).ConfigureAwait(false);
        var proto = new ShadowRunReport
        {
            Id = r.Id,
            Time = Iso(r.Time),
            Client = r.Client,
            Outcome = r.Outcome,
            SamplesPassed = r.SamplesPassed,
            SamplesFailed = r.SamplesFailed,
            CandidateDigest = r.CandidateDigest,
            ServingDigest = r.ServingDigest,
            WindowMaxInputs = r.WindowMaxInputs,
            WindowMaxAge = r.WindowMaxAge.ToString("c", CultureInfo.InvariantCulture),
            InputsDigest = r.InputsDigest,
            OutputsDigest = r.OutputsDigest,
            Replayed = r.Replayed,
            Changed = r.Changed,
            NewlyFailing = r.NewlyFailing,
        };
        proto.Errors.AddRange(r.Errors.Select(e => new MappingProblem { File = e.File, FieldPath = e.FieldPath, Rule = e.Rule }));
        foreach (var m in r.Mappings)
        {
            var result = new ShadowMappingResult
            {
                Id = m.Id,
                Serving = m.Serving ?? "",
                Candidate = m.Candidate ?? "",
                Replayed = m.Replayed,
                Unchanged = m.Unchanged,
                Changed = m.Changed,
                NewlyFailing = m.NewlyFailing,
                StillFailing = m.StillFailing,
                NowPassing = m.NowPassing,
            };
            foreach (var f in m.Fields)
            {
                var change = new ShadowFieldChange { Path = f.Path, Count = f.Count };
                change.Examples.AddRange(f.Examples);
                result.Fields.Add(change);
            }

            result.Failures.AddRange(m.Failures.Select(f => new ShadowFailure { Rule = f.Rule, Count = f.Count }));
            proto.Mappings.Add(result);
        }

        return proto;
    }

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
