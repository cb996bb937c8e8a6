using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OneStop.Hub.Mappings;
using OneStop.Mappings;

namespace OneStop.Hub.Internal;

/// <summary>
/// Per mapping, the last <see cref="ShadowOptions.MaxInputs"/> inputs of the last <see cref="ShadowOptions.MaxAge"/>, as
/// the engine was given them (the mapping source makes the catalog in force report every input here). Each input is
/// sealed with AES-GCM under a 256-bit key drawn when the process starts and held nowhere else, with the mapping id
/// as associated data: the window is unreadable outside this process and gone when it ends. Nothing here logs.
/// Every lookup passes through <see cref="Observe"/> twice (request and reply mapping), so it writes the input's UTF-8
/// JSON straight into a per-thread buffer (no string, no escaping of Vietnamese text: the bytes are only parsed back)
/// and seals it with a per-thread AES-GCM instance, instead of a string, a byte copy and a new cipher per input.
/// An input the window already holds (the same bytes for the same mapping, e.g. a delivery retried after a timeout
/// maps the same event again) is kept once: a shadow run replays traffic, not the hub's retries. Repeats are recognised
/// by an HMAC under a second per-process key, so the digest says nothing outside the process either.
/// </summary>
internal sealed class ShadowWindow : IMappingInputObserver, IDisposable
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly ShadowOptions _options;
    private readonly TimeProvider _time;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _digestKey = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _noncePrefix = RandomNumberGenerator.GetBytes(4);
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly ThreadLocal<AesGcm> _sealer;
    private long _counter;
    private long _skipped;

    public ShadowWindow(IOptions<ShadowOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _sealer = new ThreadLocal<AesGcm>(() => new AesGcm(_key, TagSize));
    }

    private static readonly JsonWriterOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? s_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? s_writer;

    public ShadowOptions Options => _options;

    /// <summary>Inputs not kept because they were larger than <see cref="ShadowOptions.MaxInputBytes"/>.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    public void Observe(MappingDefinition mapping, JsonNode? source)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        if (_options.MaxInputs == 0 || source is null)
        {
            return;
        }

        var buffer = s_buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = s_writer ??= new Utf8JsonWriter(buffer, Unescaped);
        writer.Reset(buffer);
        byte[] cipher;
        string digest;
        var nonce = new byte[NonceSize];
        var tag = new byte[TagSize];
        try
        {
            source.WriteTo(writer);
            writer.Flush();
            var plain = buffer.WrittenSpan;
            if (plain.Length > _options.MaxInputBytes)
            {
                Interlocked.Increment(ref _skipped);
                return;
            }

            digest = Convert.ToBase64String(HMACSHA256.HashData(_digestKey, plain));
            lock (_gate)
            {
                if (_windows.TryGetValue(mapping.Id, out var held) && held.Digests.Contains(digest))
                {
                    return;
                }
            }

            _noncePrefix.CopyTo(nonce, 0);
            BinaryPrimitives.WriteInt64BigEndian(nonce.AsSpan(4), Interlocked.Increment(ref _counter)); // unique under this key
            cipher = new byte[plain.Length];
            _sealer.Value!.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(mapping.Id));
        }
        finally
        {
            buffer.Clear(); // zeroes the plain text
            if (buffer.Capacity > 1 << 20)
            {
                s_buffer = null; // a rare large input does not keep its buffer
                s_writer = null;
            }
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_windows.TryGetValue(mapping.Id, out var window))
            {
                window = new Window();
                _windows[mapping.Id] = window;
            }

            if (!window.Digests.Add(digest))
            {
                return; // the same input arrived from another thread meanwhile
            }

            window.Items.Enqueue(new Sealed(now, nonce, cipher, tag, digest));
            while (window.Items.Count > _options.MaxInputs)
            {
                window.Digests.Remove(window.Items.Dequeue().Digest);
            }

            PruneAged(now);
        }
    }

    /// <summary>How many inputs each mapping holds now.</summary>
    public IReadOnlyDictionary<string, int> Counts()
    {
        lock (_gate)
        {
            PruneAged(_time.GetUtcNow());
            return _windows.Where(w => w.Value.Items.Count > 0).ToDictionary(w => w.Key, w => w.Value.Items.Count, StringComparer.Ordinal);
        }
    }

    /// <summary>The inputs <paramref name="mappingId"/> holds now, oldest first, opened (for a replay; never to be logged or kept).</summary>
    public IReadOnlyList<JsonNode> Open(string mappingId)
    {
        Sealed[] entries;
        lock (_gate)
        {
            PruneAged(_time.GetUtcNow());
            entries = _windows.TryGetValue(mappingId, out var window) ? [.. window.Items] : [];
        }

        var inputs = new List<JsonNode>(entries.Length);
        var associated = Encoding.UTF8.GetBytes(mappingId);
        using var aes = new AesGcm(_key, TagSize);
        foreach (var entry in entries)
        {
            var plain = new byte[entry.Cipher.Length];
            aes.Decrypt(entry.Nonce, entry.Cipher, entry.Tag, plain, associated);
            if (JsonNode.Parse(plain) is { } input)
            {
                inputs.Add(input);
            }

            CryptographicOperations.ZeroMemory(plain);
        }

        return inputs;
    }

    /// <summary>The sealed bytes held for <paramref name="mappingId"/> (tests check they are not the plain input).</summary>
    internal IReadOnlyList<byte[]> SealedFor(string mappingId)
    {
        lock (_gate)
        {
            return _windows.TryGetValue(mappingId, out var window) ? [.. window.Items.Select(e => e.Cipher)] : [];
        }
    }

    private void PruneAged(DateTimeOffset now)
    {
        var oldest = now - _options.MaxAge;
        foreach (var window in _windows.Values)
        {
            while (window.Items.TryPeek(out var head) && head.At < oldest)
            {
                window.Digests.Remove(window.Items.Dequeue().Digest);
            }
        }
    }

    public void Dispose() => _sealer.Dispose();

    private sealed record Sealed(DateTimeOffset At, byte[] Nonce, byte[] Cipher, byte[] Tag, string Digest);

    private sealed class Window
    {
        public Queue<Sealed> Items { get; } = new();

        public HashSet<string> Digests { get; } = new(StringComparer.Ordinal);
    }
}
