namespace OneStop.Mocks;

/// <summary>
/// One change a destination made because of a call: a dossier created or updated on the portal, a progress
/// step, an EMC tracking record, a postal order created or cancelled. A call replayed with an idempotency key
/// the destination has already seen makes none.
/// </summary>
/// <param name="Sequence">Order of the side effect within its mock, from 1.</param>
/// <param name="MaHoSo">The dossier (for postal: the OrderNumber, which the hub derives from the dossier code).</param>
/// <param name="Operation">What happened, e.g. <c>DongBoHoSoMC isUpdating=False</c>, <c>TrackingMCDT</c>, <c>order created</c>.</param>
/// <param name="Status">The status it carried: TrangThaiHoSo / TrangThai on the portal, Status on EMC; null for postal.</param>
/// <param name="IdempotencyKey">The <c>Idempotency-Key</c> header of the call, or null when it had none (or another system caused it).</param>
/// <param name="At">When, on the mock's clock.</param>
/// <param name="Payload">The item or body as received, compact JSON.</param>
public sealed record SideEffect(
    long Sequence,
    string MaHoSo,
    string Operation,
    string? Status,
    string? IdempotencyKey,
    DateTimeOffset At,
    string Payload);
