using System.Buffers.Binary;
using Portal.Domain;

namespace Portal.Tests.Domain;

public class SignaturePngTests
{
    [Fact]
    public void A_well_formed_PNG_reports_its_dimensions()
    {
        Assert.Equal(new SignaturePng.Dimensions(1200, 400), SignaturePng.Inspect(TestPng.Create(1200, 400)));
        Assert.Equal(new SignaturePng.Dimensions(1, 1), SignaturePng.Inspect(TestPng.Create()));
    }

    [Fact]
    public void The_CRC_is_the_standard_CRC32()
    {
        Assert.Equal(0xCBF43926u, SignaturePng.Crc32("123456789"u8));
        Assert.Equal(TestPng.Crc("IEND"u8), SignaturePng.Crc32("IEND"u8));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(4097, 10)]
    [InlineData(10, 4097)]
    public void Dimensions_outside_1_to_4096_pixels_are_refused(int width, int height)
    {
        // Width and height come from IHDR; the pixel data is built for a harmless size.
        var png = TestPng.Create(1, 1);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16, 4), (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20, 4), (uint)height);
        Rechecksum(png, 12, 13);
        var violation = Refuse.With("validation.signature", RuleKind.Invalid, () => SignaturePng.Inspect(png));
        Assert.Contains("4096 pixels", violation.Message);
    }

    [Fact]
    public void The_largest_allowed_dimensions_are_accepted()
    {
        Assert.Equal(new SignaturePng.Dimensions(4096, 2), SignaturePng.Inspect(TestPng.Create(4096, 2)));
    }

    [Fact]
    public void A_changed_byte_breaks_the_chunk_checksum()
    {
        var png = TestPng.Create(20, 10);
        png[20] ^= 0x01;
        Refuse.With("validation.signature", RuleKind.Invalid, () => SignaturePng.Inspect(png));
    }

    [Fact]
    public void A_truncated_PNG_is_refused()
    {
        var png = TestPng.Create(20, 10);
        Refuse.With("validation.signature", RuleKind.Invalid, () => SignaturePng.Inspect(png[..^12]));
        Refuse.With("validation.signature", RuleKind.Invalid, () => SignaturePng.Inspect(png[..^1]));
        Refuse.With("validation.signature", RuleKind.Invalid, () => SignaturePng.Inspect(png[..20]));
    }

    [Fact]
    public void Bytes_after_IEND_are_refused()
    {
        byte[] png = [.. TestPng.Create(20, 10), .. "<svg/>"u8.ToArray()];
        Refuse.With("validation.signature", RuleKind.Invalid, () => SignaturePng.Inspect(png));
    }

    [Fact]
    public void The_PNG_signature_glued_to_other_bytes_is_refused()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. "<svg onload=alert(1)>"u8.ToArray()];
        Refuse.With("validation.signature", RuleKind.Invalid, () => SignaturePng.Inspect(png));
    }

    [Fact]
    public void A_PNG_without_image_data_is_refused()
    {
        var png = TestPng.Create(2, 2);
        // Drop the IDAT chunk: signature (8) + IHDR (25) are kept, then IEND.
        var idatLength = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(33, 4));
        byte[] withoutData = [.. png[..33], .. png[(33 + 12 + idatLength)..]];
        Refuse.With("validation.signature", RuleKind.Invalid, () => SignaturePng.Inspect(withoutData));
    }

    [Fact]
    public void An_invalid_header_is_refused()
    {
        var png = TestPng.Create(2, 2);
        png[8 + 8 + 9] = 5; // colour type 5 does not exist
        Rechecksum(png, 12, 13);
        Refuse.With("validation.signature", RuleKind.Invalid, () => SignaturePng.Inspect(png));
    }

    [Fact]
    public void JPEG_and_SVG_bytes_are_refused()
    {
        Refuse.With("validation.signature", RuleKind.Invalid, () => SignaturePng.Inspect([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46, 0]));
        Refuse.With("validation.signature", RuleKind.Invalid, () => SignaturePng.Inspect("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"u8.ToArray()));
        Refuse.With("validation.signature", RuleKind.Invalid, () => SignaturePng.Inspect(null));
    }

    // Writes a fresh CRC for the chunk whose type starts at typeOffset, so only the intended defect remains.
    private static void Rechecksum(byte[] png, int typeOffset, int dataLength) =>
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(typeOffset + 4 + dataLength, 4), TestPng.Crc(png.AsSpan(typeOffset, 4 + dataLength)));
}
