"""Photos are checked by content and stored without any metadata."""
import io

import pytest
from PIL import Image

from webapp.safety_log.images import MAX_SIDE, ImageRejected, clean

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
