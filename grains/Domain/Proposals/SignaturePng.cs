using System.Buffers.Binary;

namespace Portal.Domain;

/// <summary>
/// Checks that a drawn signature is a well-formed PNG of sane size before it becomes evidence: the PNG
/// signature bytes, every chunk within bounds with a matching CRC, an IHDR first with dimensions a signature
/// pad can produce, image data, and IEND last with nothing after it. Anything else (SVG, JPEG, a PNG header
/// glued to other bytes) is refused. The pixels are not decoded; the browser only ever displays them.
/// </summary>
public static class SignaturePng
{
    public const int MaxBytes = 200 * 1024;

    /// <summary>Wider than any signature pad at 3× device pixel ratio, far below anything that strains a viewer.</summary>
    public const int MaxDimension = 4096;

    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly uint[] CrcTable = BuildCrcTable();

    public readonly record struct Dimensions(int Width, int Height);

    /// <summary>Returns the image's dimensions, or throws <c>validation.signature</c> (400) saying what is wrong.</summary>
    public static Dimensions Inspect(byte[]? png)
    {
        if (png is null || png.Length <= Signature.Length || !png.AsSpan(0, Signature.Length).SequenceEqual(Signature))
        {
            throw Invalid("The drawn signature is not a PNG image.");
        }
        if (png.Length > MaxBytes)
        {
            throw Invalid("The drawn signature is larger than 200 KB.");
        }

        var offset = Signature.Length;
        Dimensions? size = null;
        var sawImageData = false;
        while (true)
        {
            if (png.Length - offset < 12)
            {
                throw Invalid("The drawn signature is a damaged PNG image (it ends early).");
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset, 4));
            if (length > (uint)(png.Length - offset - 12))
            {
                throw Invalid("The drawn signature is a damaged PNG image (a chunk runs past the end).");
            }
            var type = png.AsSpan(offset + 4, 4);
            var data = png.AsSpan(offset + 8, (int)length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + (int)length, 4));
            if (!IsChunkType(type) || Crc32(png.AsSpan(offset + 4, 4 + (int)length)) != crc)
            {
                throw Invalid("The drawn signature is a damaged PNG image (a chunk checksum does not match).");
            }

            if (size is null)
            {
                size = ReadHeader(type, data);
            }
            else if (type.SequenceEqual("IHDR"u8))
            {
                throw Invalid("The drawn signature is a damaged PNG image (two headers).");
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                sawImageData = true;
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                if (!sawImageData)
                {
                    throw Invalid("The drawn signature is a PNG image without pixels.");
                }
                if (offset + 12 + (int)length != png.Length)
                {
                    throw Invalid("The drawn signature has bytes after the end of the PNG image.");
                }
                return size.Value;
            }
            offset += 12 + (int)length;
        }
    }

    private static Dimensions ReadHeader(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        if (!type.SequenceEqual("IHDR"u8) || data.Length != 13)
        {
            throw Invalid("The drawn signature is a damaged PNG image (no header).");
        }
        var width = BinaryPrimitives.ReadUInt32BigEndian(data[..4]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(4, 4));
        if (width is 0 or > MaxDimension || height is 0 or > MaxDimension)
        {
            throw Invalid($"The drawn signature must be between 1 and {MaxDimension} pixels wide and high.");
        }
        var bitDepth = data[8];
        var colourType = data[9];
        var validDepth = colourType switch
        {
            0 => bitDepth is 1 or 2 or 4 or 8 or 16,
            3 => bitDepth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => bitDepth is 8 or 16,
            _ => false,
        };
        if (!validDepth || data[10] != 0 || data[11] != 0 || data[12] > 1)
        {
            throw Invalid("The drawn signature is a damaged PNG image (its header is not valid).");
        }
        return new Dimensions((int)width, (int)height);
    }

    private static bool IsChunkType(ReadOnlySpan<byte> type)
    {
        foreach (var b in type)
        {
            if (b is not (>= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The CRC-32 of ISO 3309 / ITU-T V.42 that PNG uses (same as zlib's).</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }

    private static PortalRuleViolation Invalid(string message) => PortalRuleViolation.Invalid(RuleCodes.ValidationSignature, message);
}
