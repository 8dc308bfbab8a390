"""Photos and drawings: checked by their content, re-encoded with every bit of metadata removed.

A photo must never reveal where someone lives: EXIF (GPS above all), XMP, IPTC, ICC profiles and
comments are all dropped by decoding the pixels and writing a new file from them alone.
"""
import base64
import binascii
import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 12 * 1024 * 1024
MAX_SIDE = 1600  # pixels; enough to read a photographed note, small on a phone's data plan
MAX_PIXELS = 50_000_000  # refuse decompression bombs before decoding them
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}


class ImageRejected(ValueError):
    """`reason` is 'not_image' or 'too_big'."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class CleanImage:
    data: bytes
    mimetype: str
    extension: str
    width: int
    height: int


def clean(data: bytes, *, keep_transparency: bool = False) -> CleanImage:
    """Decode `data` as an image and write a new, metadata-free JPEG (or PNG for drawings)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRejected("too_big")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ImageRejected("not_image")
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageRejected("too_big")
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError) as exc:
        if isinstance(exc, ImageRejected):
            raise
        raise ImageRejected("not_image") from exc
    image = ImageOps.exif_transpose(image)  # keep the photo upright once the orientation tag is gone
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if keep_transparency:
        image = image.convert("RGBA")
        fresh = Image.new("RGBA", image.size)
        fresh.paste(image)
        fresh.save(out, "PNG", optimize=True)
        return CleanImage(out.getvalue(), "image/png", "png", image.width, image.height)
    image = image.convert("RGB")
    fresh = Image.new("RGB", image.size)
    fresh.paste(image)  # a new image object: no info dict, no EXIF, no ICC profile to carry over
    fresh.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return CleanImage(out.getvalue(), "image/jpeg", "jpg", fresh.width, fresh.height)


def store(folder: Path, image: CleanImage) -> tuple[str, int]:
    """Write the image under an unguessable name; returns (filename, size)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(24)}.{image.extension}"
    (folder / name).write_bytes(image.data)
    return name, len(image.data)


def from_data_url(data_url: str) -> CleanImage:
    """A canvas drawing, sent as a PNG data URL; raises ImageRejected when it is not one."""
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise ImageRejected("not_image")
    try:
        raw = base64.b64decode(data_url[len(prefix):], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImageRejected("not_image") from exc
    return clean(raw, keep_transparency=True)
