"""Static files as a phone gets them: fingerprinted, precompressed, cached for a year; pages compressed safely."""
import gzip
import re

import brotli

from tests.conftest import sign_in_as
from webapp import static_files

PHONE = {"Accept-Encoding": "gzip, deflate, br, zstd"}
IMMUTABLE = "public, max-age=31536000, immutable"


def _static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_link_fingerprinted_static_files_cached_for_a_year(client):
    urls = _static_urls(client.get("/sign-in").text)
    assert any(u.startswith("/static/css/kring.") for u in urls) and any("/js/app." in u for u in urls)
    for url in urls:
        assert static_files.FINGERPRINT.search(url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_css_and_js_arrive_compressed_with_brotli_or_gzip_and_unchanged(client):
    [css] = [u for u in _static_urls(client.get("/sign-in").text) if u.endswith(".css")]
    plain = client.get(css, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    br = client.get(css, headers=PHONE)
    assert br.headers["Content-Encoding"] == "br" and "Accept-Encoding" in br.headers["Vary"]
    assert brotli.decompress(br.data) == plain.data
    assert len(br.data) < len(plain.data) / 3
    gz = client.get(css, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == plain.data


def test_a_name_without_fingerprint_still_works_but_is_always_asked_again(client):
    response = client.get("/static/css/kring.css")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"


def test_every_module_import_points_at_a_fingerprinted_file_that_exists(client):
    [app_js] = [u for u in _static_urls(client.get("/sign-in").text) if "/js/app." in u]
    seen, todo = set(), [app_js]
    while todo:
        url = todo.pop()
        seen.add(url)
        text = client.get(url).text
        for name in re.findall(r"""["']\./([\w.-]+\.js)["']""", text):
            target = url.rsplit("/", 1)[0] + "/" + name
            assert static_files.FINGERPRINT.search(target), f"{url} imports {name} without a fingerprint"
            assert client.get(target).status_code == 200, target
            if target not in seen:
                todo.append(target)
    assert len(seen) > 5  # quick exit, outbox, signals, book, drawing...


def test_service_worker_keeps_its_url_and_precaches_the_fingerprinted_names(client):
    response = client.get("/sw.js")
    assert response.headers["Cache-Control"] == "no-cache"
    text = response.text
    shell = re.findall(r'"(/static/[^"]+)"', text.split("const SHELL", 1)[1].split("];", 1)[0])
    assert "/static/css/kring.css" not in text and len(shell) > 5
    for url in shell + re.findall(r'importScripts\("([^"]+)"\)', text):
        assert static_files.FINGERPRINT.search(url), url
        assert client.get(url).headers["Cache-Control"] == IMMUTABLE


def test_a_changed_file_gets_a_new_name_and_a_new_service_worker_cache(tmp_path):
    source = tmp_path / "static"
    (source / "js").mkdir(parents=True)
    (source / "css").mkdir()
    (source / "css" / "a.css").write_text("body { color: red }\n" * 50)
    (source / "js" / "sw.js").write_text('importScripts("/static/js/b.js");\nconst VERSION = "shell-v1";\n'
                                         'const SHELL = ["/static/css/a.css"];\n')
    (source / "js" / "b.js").write_text('import "./c.js";\n')
    (source / "js" / "c.js").write_text("export const c = 1;\n")
    built = tmp_path / "built"
    first = static_files.load_manifest(source, built)
    first_sw = (built / "js" / "sw.js").read_text()
    assert first["js/sw.js"] == "js/sw.js" and first["css/a.css"] in first_sw
    assert f'import "./{first["js/c.js"].rsplit("/", 1)[1]}"' in (built / first["js/b.js"]).read_text()
    assert (built / (first["css/a.css"] + ".br")).exists() and (built / (first["css/a.css"] + ".gz")).exists()

    assert static_files.load_manifest(source, built) == first  # unchanged: the build is kept
    (source / "js" / "c.js").write_text("export const c = 2;\n")
    second = static_files.load_manifest(source, built)
    # c.js changed, so b.js (which imports it) and the service worker's cache name change too; a.css does not.
    assert second["js/c.js"] != first["js/c.js"] and second["js/b.js"] != first["js/b.js"]
    assert second["css/a.css"] == first["css/a.css"]
    version = re.compile(r'const VERSION = "([^"]+)"')
    assert version.search((built / "js" / "sw.js").read_text())[1] != version.search(first_sw)[1]


def test_pages_are_compressed_unless_they_echo_the_request_against_breach(client, family):
    reflected = client.get("/sign-in?next=/guess", headers=PHONE)
    assert "Content-Encoding" not in reflected.headers and "csrf_token" in reflected.text
    guessed = client.get("/join/guess-at-a-token", headers=PHONE)  # a free-text path is echoed by the page too
    assert "Content-Encoding" not in guessed.headers and "guess-at-a-token" in guessed.text
    assert client.get("/sign-in", headers=PHONE).headers["Content-Encoding"] == "br"
    sign_in_as(client, family.users["household_member"])
    log = f"/h/{family.household.id}/log/"
    plain = client.get(log, headers=PHONE)
    assert plain.status_code == 200 and plain.headers["Content-Encoding"] == "br"
    assert 'name="kind"' in brotli.decompress(plain.data).decode()
    # A query string is typed by someone, perhaps an attacker guessing at the CSRF token beside it: no compression.
    filtered = client.get(log + "?kind=went_well", headers=PHONE)
    assert filtered.status_code == 200 and "Content-Encoding" not in filtered.headers
    assert 'name="kind"' in filtered.text
