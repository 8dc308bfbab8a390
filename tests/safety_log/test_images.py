"""Photos are checked by content and stored without any metadata."""
import base64
import io
import struct
import zlib

import pytest
from PIL import Image

from webapp.uploads import MAX_SIDE, ImageRejected, clean, from_data_url

GPS_IFD = 0x8825


def jpeg_with_gps(size=(3000, 2000), orientation: int | None = None) -> bytes:
    """A phone-like JPEG: EXIF with a GPS position, camera make and an orientation tag."""
    image = Image.new("RGB", size, (180, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0132] = "2026:11:01 18:30:00"
    exif[GPS_IFD] = {1: "N", 2: (52.0, 22.0, 7.5), 3: "E", 4: (4.0, 53.0, 2.2)}
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"taken at home")
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A real, valid PNG of a few hundred bytes that says it is `width` x `height` pixels: one grey row, the
    rest missing. Decoded, 20000 x 20000 would take 400 MB (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    first_row = zlib.compress(b"\x00" + b"\x80" * width, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", first_row) + chunk(b"IEND", b"")


BOMB = png_declaring(20_000, 20_000)


def bomb_data_url() -> str:
    return "data:image/png;base64," + base64.b64encode(BOMB).decode()


def test_gps_and_all_other_metadata_are_removed():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    cleaned = clean(original)
    result = Image.open(io.BytesIO(cleaned.data))
    assert dict(result.getexif()) == {}
    assert "exif" not in result.info and "comment" not in result.info and "icc_profile" not in result.info
    assert b"PhoneMaker" not in cleaned.data and b"taken at home" not in cleaned.data
    assert max(cleaned.width, cleaned.height) == MAX_SIDE


def test_orientation_is_applied_before_the_tag_is_dropped():
    cleaned = clean(jpeg_with_gps(size=(400, 200), orientation=6))  # "rotate 90°": portrait on the phone
    assert (cleaned.width, cleaned.height) == (200, 400)


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name():
    with pytest.raises(ImageRejected) as refused:
        clean(b"%PDF-1.7 pretending to be photo.jpg")
    assert refused.value.reason == "not_image"


def test_an_oversized_file_is_refused():
    with pytest.raises(ImageRejected) as refused:
        clean(b"\xff\xd8" + b"0" * (13 * 1024 * 1024))
    assert refused.value.reason == "too_big"


def test_drawings_keep_transparency_as_png():
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    cleaned = clean(out.getvalue(), keep_transparency=True)
    assert cleaned.mimetype == "image/png" and Image.open(io.BytesIO(cleaned.data)).mode == "RGBA"


def test_a_small_file_that_declares_a_huge_image_is_refused_as_too_big():
    assert len(BOMB) < 1000
    with pytest.raises(ImageRejected) as refused:  # beyond Pillow's own guard, which fires while opening it
        clean(BOMB)
    assert refused.value.reason == "too_many_pixels"
    with pytest.raises(ImageRejected) as under_pillows_guard:  # under Pillow's guard, over Kring's limit
        clean(png_declaring(8_000, 8_000))
    assert under_pillows_guard.value.reason == "too_many_pixels"
    with pytest.raises(ImageRejected) as drawn:
        from_data_url(bomb_data_url())
    assert drawn.value.reason == "too_many_pixels"
