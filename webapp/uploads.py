"""Uploads on the ground floor: every capability that keeps pictures (log, plan, books, children) checks them here,
by their content, and re-encodes them with every bit of metadata removed; `upload_folder` says where they are kept.

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

from webapp.i18n import lazy_gettext as _l

MAX_UPLOAD_BYTES = 12 * 1024 * 1024
MAX_SIDE = 1600  # pixels; enough to read a photographed note, small on a phone's data plan
MAX_PIXELS = 50_000_000  # refuse decompression bombs before decoding them
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}

# What a person is told, for every place a picture is uploaded (log, plan, books).
PHOTO_MESSAGES = {
    "not_image": _l("This file is not a photo. Choose a photo (JPG, PNG or WebP) and try again."),
    "too_big": _l("This photo is too big (more than 12 MB). Choose a smaller photo and try again."),
    "too_many_pixels": _l("This photo is too big (too many pixels). Choose a smaller photo and try again."),
}


class ImageRejected(ValueError):
    """`reason` is 'not_image', 'too_big' (too many bytes) or 'too_many_pixels' (a small file that would decode
    into an enormous image: a decompression bomb)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def photo_message(self) -> str:
        return str(PHOTO_MESSAGES[self.reason])

    @property
    def drawing_message(self) -> str:
        if self.reason == "not_image":
            return str(_l("The drawing could not be saved. Try again."))
        return str(_l("This drawing is too big to save. Try again with a smaller drawing."))


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
                raise ImageRejected("too_many_pixels")
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError as exc:
        # Pillow refuses images of more than twice its own limit while opening them, before the check above
        # can run: a real image, only too big.
        raise ImageRejected("too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
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


def upload_folder(instance_path: str, household_id: int) -> Path:
    """Where a household's pictures are kept: the instance folder's uploads/<household id>."""
    return Path(instance_path) / "uploads" / str(household_id)
