namespace OneStop.Adapters;

/// <summary>One entry of the postal operator's tracking feed; <see cref="Id"/> is the cursor passed back as <c>lastId</c>.</summary>
public sealed record PostalTrackingItem(
    long Id, string OrderNumber, string? ItemCode, string StatusCode, string? StatusMessage, string? EventTime, string? PosId, string? Notes);

/// <summary>The postal operator's tracking feed: <c>GET …?pagesize=&amp;lastId=</c>, entries after <c>lastId</c> in order.</summary>
public interface IPostalTrackingClient
{
    Task<IReadOnlyList<PostalTrackingItem>> PageAsync(long lastId, int pageSize, CancellationToken cancellationToken);
}
