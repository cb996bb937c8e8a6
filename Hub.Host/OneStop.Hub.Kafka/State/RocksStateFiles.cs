using System.Buffers.Binary;
using System.Text;
using OneStop.Hub.State;
using RocksDbSharp;

namespace OneStop.Hub.Kafka.State;

/// <summary>
/// The local RocksDB store behind every state table of one instance. Layout (one key space):
/// <list type="bullet">
/// <item><c>d\0{table}\0{key}</c> → 8-byte big-endian version, 1 flag byte (0 value, 1 deleted), value bytes;</item>
/// <item><c>o\0{table}\0{partition:int32 BE}</c> → next offset to read (the checkpoint), written in the same
/// atomic batch as the entries read up to it;</item>
/// <item><c>i\0{table}</c> → identity of the log the table was read from (cluster and topic).</item>
/// </list>
/// </summary>
internal sealed class RocksStateFiles : IDisposable
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(10);

    private readonly RocksDb _db;
    private readonly Cache _cache;
    private int _users;
    private int _closing;

    public RocksStateFiles(string path)
    {
        Directory.CreateDirectory(path);
        Path = path;
        _cache = Cache.CreateLru(16 * 1024 * 1024); // bounded: memory does not grow with the number of keys
        var table = new BlockBasedTableOptions().SetBlockCache(_cache.Handle).SetFilterPolicy(BloomFilterPolicy.Create(10, false));
        var options = new DbOptions()
            .SetCreateIfMissing(true)
            .SetWriteBufferSize(16UL * 1024 * 1024)
            .SetMaxWriteBufferNumber(2)
            .SetMaxOpenFiles(256)
            .SetBlockBasedTableFactory(table);
        try
        {
            _db = RocksDb.Open(options, path);
        }
        catch (RocksDbException e)
        {
            throw new InvalidOperationException(
                $"State:Path: the local state store at '{path}' cannot be opened ({e.Message}). Is another hub instance using it? Give each instance its own State:Path.", e);
        }
    }

    public string Path { get; }

    public static byte[] DataKey(string table, string key) => Encoding.UTF8.GetBytes($"d\0{table}\0{key}");

    public static byte[] DataPrefix(string table, string keyPrefix) => DataKey(table, keyPrefix);

    public static byte[] OffsetKey(string table, int partition)
    {
        var prefix = Encoding.UTF8.GetBytes($"o\0{table}\0");
        var key = new byte[prefix.Length + 4];
        prefix.CopyTo(key, 0);
        BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(prefix.Length), partition);
        return key;
    }

    public static byte[] IdentityKey(string table) => Encoding.UTF8.GetBytes($"i\0{table}");

    public static byte[] Encode(long version, byte[]? value)
    {
        var bytes = new byte[9 + (value?.Length ?? 0)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, version);
        bytes[8] = value is null ? (byte)1 : (byte)0;
        value?.CopyTo(bytes, 9);
        return bytes;
    }

    public static StateEntry Decode(string key, ReadOnlySpan<byte> stored) =>
        new(key, BinaryPrimitives.ReadInt64BigEndian(stored), stored[8] == 1 ? null : stored[9..].ToArray());

    private sealed class EntryReader(string key) : ISpanDeserializer<StateEntry?>
    {
        public StateEntry? Deserialize(ReadOnlySpan<byte> buffer) => Decode(key, buffer);
    }

    private sealed class VersionReader : ISpanDeserializer<long?>
    {
        public static readonly VersionReader Instance = new();

        public long? Deserialize(ReadOnlySpan<byte> buffer) => BinaryPrimitives.ReadInt64BigEndian(buffer);
    }

    public byte[]? Get(byte[] key)
    {
        Enter();
        try
        {
            return _db.Get(key);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>The entry <paramref name="key"/> stored under <paramref name="dataKey"/>, decoded in RocksDB's own buffer: one copy of the value, not two.</summary>
    public StateEntry? GetEntry(byte[] dataKey, string key)
    {
        Enter();
        try
        {
            return _db.Get(dataKey, new EntryReader(key));
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>The version stored under <paramref name="key"/>, read without copying the value out of RocksDB.</summary>
    public long? GetVersion(byte[] key)
    {
        Enter();
        try
        {
            return _db.Get(key, VersionReader.Instance);
        }
        finally
        {
            Exit();
        }
    }

    public void Write(WriteBatch batch)
    {
        Enter();
        try
        {
            _db.Write(batch);
        }
        finally
        {
            Exit();
        }
    }

    public long? ReadOffset(string table, int partition) =>
        Get(OffsetKey(table, partition)) is { Length: 8 } b ? BinaryPrimitives.ReadInt64BigEndian(b) : null;

    public static byte[] EncodeOffset(long offset)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, offset);
        return b;
    }

    /// <summary>Entries under a prefix in key order; the iterator reads a consistent snapshot.</summary>
    public IEnumerable<(byte[] Key, byte[] Value)> Scan(byte[] prefix)
    {
        Enter();
        try
        {
            using var iterator = _db.NewIterator();
            for (iterator.Seek(prefix); iterator.Valid(); iterator.Next())
            {
                var key = iterator.Key();
                if (!key.AsSpan().StartsWith(prefix))
                {
                    yield break;
                }

                yield return (key, iterator.Value());
            }
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Removes everything of one table (entries, checkpoints, identity): it will be rebuilt from its log.</summary>
    public void Clear(string table)
    {
        using var batch = new WriteBatch();
        foreach (var prefix in new[] { Encoding.UTF8.GetBytes($"d\0{table}\0"), Encoding.UTF8.GetBytes($"o\0{table}\0") })
        {
            foreach (var (key, _) in Scan(prefix))
            {
                batch.Delete(key);
            }
        }

        batch.Delete(IdentityKey(table));
        Write(batch);
    }

    /// <summary>
    /// Closes the store once the reads, writes and scans under way have ended (at most 10 s); later calls throw
    /// <see cref="ObjectDisposedException"/>. A store closed under a running call would be native use after free: the
    /// process would crash, e.g. when a table's reader thread outlived the stop because Kafka was slow to answer.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        if (!SpinWait.SpinUntil(() => Volatile.Read(ref _users) == 0, CloseWait))
        {
            return; // still in use: leave it open (the process is stopping) rather than free it under a running call
        }

        _db.Dispose();
        GC.KeepAlive(_cache); // the native cache lives as long as the store that uses it
    }

    private void Enter()
    {
        Interlocked.Increment(ref _users);
        if (Volatile.Read(ref _closing) != 0)
        {
            Interlocked.Decrement(ref _users);
            throw new ObjectDisposedException(nameof(RocksStateFiles), $"the local state store at '{Path}' is closed");
        }
    }

    private void Exit() => Interlocked.Decrement(ref _users);
}
