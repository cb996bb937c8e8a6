using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace OneStop.Hub.Inbound;

/// <summary>
/// The demo attachment store: a local folder, one file per SHA-256 (<c>ab/abcdef…</c>), written to a temporary name and
/// renamed, so a reader never sees half a file. Production replaces it with an S3-compatible store behind the same interface.
/// </summary>
public sealed class FileAttachmentStore(IOptions<InboundOptions> options) : IAttachmentStore
{
    private string Root => Path.GetFullPath(options.Value.AttachmentsPath);

    public async Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        var path = PathOf(digest);
        if (File.Exists(path))
        {
            return digest;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, content.ToArray(), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
        return digest;
    }

    public Task<Stream?> OpenAsync(string sha256, CancellationToken cancellationToken)
    {
        if (sha256 is not { Length: 64 } || !sha256.All(Uri.IsHexDigit))
        {
            return Task.FromResult<Stream?>(null);
        }

        var path = PathOf(sha256.ToLowerInvariant());
        return Task.FromResult<Stream?>(File.Exists(path) ? File.OpenRead(path) : null);
    }

    private string PathOf(string digest) => Path.Combine(Root, digest[..2], digest);
}
