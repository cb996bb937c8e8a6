using System.Globalization;
using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Hub.Inbound;
using Canonical = OneStop.Schemas.Canonical;

namespace OneStop.Hub.Grpc.Internal;

/// <summary>onestop.v1.InboundService: translates to and from the inbound core.</summary>
internal sealed class InboundGrpcService(InboundDeliveryService inbound) : InboundService.InboundServiceBase
{
    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<InboundMessage> responseStream, ServerCallContext context)
    {
        await foreach (var delivery in inbound.SubscribeAsync(request.Agencies, request.Window, context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(ToProto(delivery), context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<FetchReply> Fetch(FetchRequest request, ServerCallContext context)
    {
        var batch = await inbound.FetchAsync(request.Agencies, request.MaxMessages, context.CancellationToken).ConfigureAwait(false);
        var reply = new FetchReply();
        reply.Messages.AddRange(batch.Select(ToProto));
        return reply;
    }

    public override async Task<AckReply> Ack(AckRequest request, ServerCallContext context) =>
        new() { Acknowledged = await inbound.AckAsync([.. request.DeliveryIds], context.CancellationToken).ConfigureAwait(false) };

    public override async Task GetAttachment(GetAttachmentRequest request, IServerStreamWriter<AttachmentChunk> responseStream, ServerCallContext context)
    {
        var (document, content) = await inbound.OpenAttachmentAsync(request.DeliveryId, request.Sha256, context.CancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            var buffer = new byte[64 * 1024];
            var first = true;
            while (true)
            {
                var read = await content.ReadAsync(buffer, context.CancellationToken).ConfigureAwait(false);
                if (read == 0 && !first)
                {
                    break;
                }

                var chunk = new AttachmentChunk { Data = Google.Protobuf.ByteString.CopyFrom(buffer, 0, read) };
                if (first)
                {
                    chunk.TenTepDinhKem = document.TenTepDinhKem ?? "";
                    chunk.SizeBytes = document.SizeBytes;
                    first = false;
                }

                await responseStream.WriteAsync(chunk, context.CancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
            }
        }
    }

    internal static InboundMessage ToProto(InboundDelivery delivery)
    {
        var r = delivery.Record;
        var message = new InboundMessage
        {
            DeliveryId = delivery.DeliveryId,
            MessageId = r.MessageId,
            Kind = r.Kind,
            Agency = r.Agency,
            Source = r.Source,
            ReceivedAt = Iso(r.ReceivedAt),
        };
        if (r.Dossier is { } d)
        {
            var dossier = new InboundDossier
            {
                MaHoSo = d.MaHoSo,
                MaTthc = d.MaTthc,
                TenTthc = d.TenTthc ?? "",
                MaLinhVuc = d.MaLinhVuc ?? "",
                TenLinhVuc = d.TenLinhVuc ?? "",
                DonViXuLy = d.DonViXuLy,
                ChuHoSo = d.ChuHoSo,
                LoaiDoiTuong = d.LoaiDoiTuong,
                MaDoiTuong = d.MaDoiTuong ?? "",
                SoGiayToChuHoSo = d.SoGiayToChuHoSo ?? "",
                Email = d.Email ?? "",
                SoDienThoai = d.SoDienThoai ?? "",
                TrichYeuHoSo = d.TrichYeuHoSo ?? "",
                NgayTiepNhan = Iso(d.NgayTiepNhan),
                NgayHenTra = d.NgayHenTra is { } due ? Iso(due) : "",
                TrangThaiHoSo = d.TrangThaiHoSo,
                HinhThuc = d.HinhThuc,
                KenhThucHien = d.KenhThucHien,
            };
            dossier.TaiLieuNop.AddRange(d.TaiLieuNop.Select(t => new InboundDocument
            {
                TepDinhKemId = t.TepDinhKemId ?? "",
                TenTepDinhKem = t.TenTepDinhKem ?? "",
                MaThanhPhanHoSo = t.MaThanhPhanHoSo ?? "",
                DuongDanTaiTepTin = t.DuongDanTaiTepTin ?? "",
                Sha256 = t.Sha256 ?? "",
                SizeBytes = t.SizeBytes,
            }));
            dossier.DanhSachLePhi.AddRange(d.DanhSachLePhi.Select(f => new LePhi
            {
                TenPhiLePhi = f.TenPhiLePhi ?? "", MaPhiLePhi = f.MaPhiLePhi ?? "", HinhThucThu = f.HinhThucThu, Gia = f.Gia, LoaiPhiLePhi = f.LoaiPhiLePhi,
            }));
            dossier.DinhDanhChs.AddRange(d.DinhDanhChs.Select(i => new DinhDanhChuHoSo { LoaiDinhDanh = i.LoaiDinhDanh ?? "", SoDinhDanh = i.SoDinhDanh ?? "" }));
            message.Dossier = dossier;
        }

        if (r.PostalTracking is { } p)
        {
            message.PostalTracking = ToProto(p);
        }

        return message;
    }

    private static PostalTracking ToProto(Canonical.PostalTrackingUpdate p) => new()
    {
        MaHoSo = p.MaHoSo,
        TrackingId = p.TrackingId,
        ItemCode = p.ItemCode ?? "",
        StatusCode = p.StatusCode,
        StatusMessage = p.StatusMessage ?? "",
        Stage = p.Stage,
        EventTime = p.EventTime is { } t ? Iso(t) : "",
        PostOffice = p.PostOffice ?? "",
    };

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
