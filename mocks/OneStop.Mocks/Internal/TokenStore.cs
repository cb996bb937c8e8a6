using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace OneStop.Mocks.Internal;

/// <summary>Bearer tokens issued by one mock, each valid until its expiry on the mock's <see cref="TimeProvider"/>.</summary>
internal sealed class TokenStore(TimeProvider time)
{
    private const int SweepThreshold = 10_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiryByToken = new(StringComparer.Ordinal);

    public string Issue(TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        if (_expiryByToken.Count > SweepThreshold)
        {
            foreach (var (token, expiry) in _expiryByToken)
            {
                if (expiry <= now)
                {
                    _expiryByToken.TryRemove(token, out _);
                }
            }
        }

        var issued = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        _expiryByToken[issued] = now + lifetime;
        return issued;
    }

    public bool IsValid(string token) =>
        _expiryByToken.TryGetValue(token, out var expiry) && time.GetUtcNow() < expiry;

    public void Clear() => _expiryByToken.Clear();
}
