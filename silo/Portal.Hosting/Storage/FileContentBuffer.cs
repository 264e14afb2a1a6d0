using System.Security.Cryptography;

namespace Portal.Silo.Storage;

/// <summary>An uploaded stream read into memory with its SHA-256, ready to be stored in one row.</summary>
internal sealed record FileContentBuffer(byte[] Content, string Sha256)
{
    public static async Task<FileContentBuffer> ReadAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        return new FileContentBuffer(bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
