using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OneStop.Grpc.V1;
using Canonical = OneStop.Schemas.Canonical;
using Core = OneStop.Hub.Lookups;

namespace OneStop.Hub.Grpc.Internal;

/// <summary>onestop.v1.GenericLookupService: upstreams defined by configuration and mapping files only.</summary>
internal sealed class GenericLookupGrpcService(Core.LookupService lookups) : GenericLookupService.GenericLookupServiceBase
{
    public override async Task<GenericLookupReply> Lookup(GenericLookupRequest request, ServerCallContext context)
    {
        var result = await lookups.GenericLookupAsync(new Canonical.GenericLookupQuery
        {
            Upstream = request.Upstream,
            Parameters = request.Parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            Context = ProtoTranslation.ToCanonical(request.Context),
        }, context.CancellationToken).ConfigureAwait(false);
        var json = result.Record.ToJsonString();
        return new GenericLookupReply
        {
            Record = JsonParser.Default.Parse<Struct>(json),
            RecordJson = json,
            Meta = ProtoTranslation.ToProto(result.Meta),
        };
    }
}
