using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Portal.Tests;

/// <summary>
/// Builds real PNG files for tests (RGBA, blank pixels), optionally padded with a private ancillary chunk to an
/// exact size, and lets tests break them in precise ways. Its CRC is written independently of the code under test.
/// </summary>
public static class TestPng
{
    public static byte[] Create(int width = 1, int height = 1, int? totalBytes = null, int? headerWidth = null)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(0, 4), (uint)(headerWidth ?? width));
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4, 4), (uint)height);
        header[8] = 8; // bit depth
        header[9] = 6; // RGBA

        var raw = new byte[height * (1 + width * 4)];
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var chunks = new List<byte[]> { Chunk("IHDR", header), Chunk("IDAT", compressed.ToArray()) };
        var size = 8 + chunks.Sum(c => c.Length) + 12;
        if (totalBytes is { } total)
        {
            var padding = total - size - 12;
            if (padding < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(totalBytes), $"A {width}×{height} PNG needs at least {size + 12} bytes.");
            }
            chunks.Add(Chunk("paDd", new byte[padding]));
        }
        chunks.Add(Chunk("IEND", []));

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        foreach (var chunk in chunks)
        {
            png.Write(chunk);
        }
        return png.ToArray();
    }

    public static string DataUrl(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    private static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(0, 4), (uint)data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>Bit-by-bit CRC-32 (reflected polynomial 0xEDB88320).</summary>
    public static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var crc = uint.MaxValue;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
            }
        }
        return ~crc;
    }
}
