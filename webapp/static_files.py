"""Static files as a phone should get them: fingerprinted names cached for a year, gzip and Brotli made once.

`build()` copies `webapp/static` into `webapp/static_built` (a build product, ignored by git): every file under its
own name and under a fingerprinted one (`css/kring.3f9c0a1b2d4e.css`), with references between the files (JS
imports, the service worker's list, CSS url()) pointing at the fingerprinted names, plus `.gz` and `.br` copies
made by WhiteNoise's compressor and a `manifest.json`. `init_app()` puts WhiteNoise in front of the app to serve
that folder and makes `url_for('static', filename=...)` give the fingerprinted URL. The build runs in `make
install`, `make run` and the test command (`flask --app webapp build-static`); a missing or stale build is made
again on start, so a clean clone or an edited file never serves an old copy.
"""
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

SOURCE = Path(__file__).parent / "static"
BUILT = Path(__file__).parent / "static_built"
MANIFEST = "manifest.json"
# Raised when the build itself changes, so that a build made by older code is made again.
BUILD_VERSION = "1"
YEAR = 365 * 24 * 60 * 60
# The service worker keeps a stable URL (/sw.js, its scope is the whole app): it is never fingerprinted.
UNHASHED = {"js/sw.js"}
FINGERPRINT = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
TEXT = {".js", ".css", ".svg", ".json", ".webmanifest", ".txt", ".html"}
# "./book.js" in an import, "/static/js/outbox-core.js" anywhere in a string, url(...) in CSS.
JS_RELATIVE = re.compile(r"""(?P<q>["'])\./(?P<name>[\w.-]+\.js)(?P=q)""")
ABSOLUTE = re.compile(r"""(?P<q>["'(])/static/(?P<name>[\w./-]+)(?P=q)?""")
CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<name>[^"')]+)(?P=q)\s*\)""")
SW_VERSION = re.compile(r"""(const VERSION = ")([^"]+)(")""")

log = logging.getLogger(__name__)


def source_signature(source: Path = SOURCE) -> str:
    """Names, sizes and modification times of the sources: cheap to read on every start."""
    digest = hashlib.sha256(BUILD_VERSION.encode())
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(source).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _hashed_name(rel: str, content: bytes) -> str:
    stem, dot, ext = rel.rpartition(".")
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:12]}.{ext}" if dot else rel


class _Builder:
    """Fingerprints files depth first: a file's name depends on the names of the files it refers to."""

    def __init__(self, source: Path):
        self.source = source
        self.files = sorted(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file())
        self.names: dict[str, str] = {}
        self.contents: dict[str, bytes] = {}
        self._busy: set[str] = set()

    def name(self, rel: str) -> str:
        if rel not in self.names:
            if rel in self._busy:
                raise ValueError(f"static files refer to each other in a circle: {rel}")
            self._busy.add(rel)
            content = self._rewrite(rel)
            self._busy.discard(rel)
            self.contents[rel] = content
            self.names[rel] = rel if rel in UNHASHED else _hashed_name(rel, content)
        return self.names[rel]

    def _rewrite(self, rel: str) -> bytes:
        raw = (self.source / rel).read_bytes()
        suffix = Path(rel).suffix
        if suffix not in {".js", ".css"}:
            return raw
        text = raw.decode("utf-8")
        folder = rel.rpartition("/")[0]

        def sibling(match: re.Match) -> str:
            target = f"{folder}/{match['name']}" if folder else match["name"]
            if target not in self.files:
                return match[0]
            return f"{match['q']}./{self.name(target).rpartition('/')[2]}{match['q']}"

        def absolute(match: re.Match) -> str:
            if match["name"] not in self.files:
                return match[0]
            return match[0].replace(f"/static/{match['name']}", f"/static/{self.name(match['name'])}")

        def css_url(match: re.Match) -> str:
            ref = match["name"].strip()
            if ref.startswith(("data:", "http:", "https:", "//", "#")):
                return match[0]
            target = ref.removeprefix("/static/") if ref.startswith("/static/") else \
                os.path.normpath(f"{folder}/{ref}").replace(os.sep, "/")
            if target not in self.files:
                return match[0]
            return f"url({match['q']}/static/{self.name(target)}{match['q']})"

        if suffix == ".js":
            text = JS_RELATIVE.sub(sibling, text)
        else:
            text = CSS_URL.sub(css_url, text)
        text = ABSOLUTE.sub(absolute, text)
        if rel in UNHASHED:
            # A new shell (any file in it changed) is a new cache: the old one is dropped on activation.
            shell = hashlib.sha256(text.encode()).hexdigest()[:12]
            text = SW_VERSION.sub(lambda m: f"{m[1]}{m[2]}-{shell}{m[3]}", text, count=1)
        return text.encode("utf-8")


def build(source: Path = SOURCE, built: Path = BUILT) -> dict[str, str]:
    """Make the served folder anew (in a temporary folder, then swapped in, so a running server never sees half a
    build) and return the manifest: source name -> fingerprinted name."""
    builder = _Builder(source)
    for rel in builder.files:
        builder.name(rel)
    built.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".static-", dir=built.parent))
    compressor = Compressor(quiet=True)
    for rel, hashed in builder.names.items():
        for name in {rel, hashed}:
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(builder.contents[rel])
            if compressor.should_compress(name):
                compressor.compress(str(target))
    manifest = {"signature": source_signature(source), "files": builder.names}
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    os.chmod(tmp, 0o755)
    old = built.with_name(f".old-{os.getpid()}-{built.name}")
    if built.exists():
        os.replace(built, old)
    try:
        os.replace(tmp, built)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)  # another process swapped in the same build first
    shutil.rmtree(old, ignore_errors=True)
    return builder.names


def load_manifest(source: Path = SOURCE, built: Path = BUILT) -> dict[str, str] | None:
    """The manifest of an up-to-date build; builds it when missing or stale. None when it cannot be built (a
    read-only install without a build): then the plain files are served, unfingerprinted."""
    try:
        manifest = json.loads((built / MANIFEST).read_text())
        if manifest.get("signature") == source_signature(source):
            return manifest["files"]
    except (OSError, ValueError, KeyError):
        pass
    try:
        return build(source, built)
    except OSError as error:
        log.warning("Static files could not be built (%s); serving them without fingerprints.", error)
        return None


def _headers(headers, path: str, url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"
    if FINGERPRINT.search(url):
        headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        # An unfingerprinted name may change under the same URL: always ask again (a 304 when unchanged).
        headers["Cache-Control"] = "no-cache"


def init_app(app: Flask) -> None:
    files = load_manifest()
    if files is None:
        return
    app.extensions["kring_static"] = files
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(BUILT), prefix="static/", max_age=None,
                              add_headers_function=_headers)

    @app.url_defaults
    def fingerprinted(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = files.get(values["filename"], values["filename"])


def built_path(rel: str) -> Path:
    """The served copy of a static file (with its references fingerprinted), else the source."""
    path = BUILT / rel
    return path if path.exists() else SOURCE / rel
