"""The app shell: security headers, manifest, service worker, error pages, offline page."""
import pytest
from flask import abort

from tests.conftest import make_app, sign_in_as


def test_every_page_has_strict_security_headers(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "Strict-Transport-Security" not in response.headers  # plain http on 127.0.0.1


def test_templates_have_no_inline_script_or_style(app):
    from pathlib import Path
    import re
    for path in Path(app.template_folder).rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert " style=" not in text and "<style" not in text, path
        assert not re.search(r"\son[a-z]+=", text), path  # no inline event handlers


def test_behind_https_cookies_are_secure_and_hsts_is_sent(_schema, family):
    app = make_app(HTTPS=True, SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-kring", REMEMBER_COOKIE_SECURE=True)
    client = app.test_client()
    response = client.get("/sign-in", base_url="https://kring.example")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-kring=") and "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_https_flag_from_environment_makes_cookies_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("KRING_HTTPS", "1")
    from webapp.config import load
    config = load(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_NAME"] == "__Host-kring"
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # the generated secret is private


def test_manifest_makes_the_app_installable(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    data = manifest.json
    assert data["display"] == "standalone" and data["start_url"].startswith("/")
    assert {"any", "maskable"} <= {icon["purpose"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in data["icons"]}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_is_served_from_the_root_and_caches_no_personal_pages(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and "javascript" in response.mimetype
    assert response.headers["Cache-Control"] == "no-cache"
    assert '"/offline"' in response.text
    assert "/h/" not in response.text


def test_offline_page_carries_no_personal_data(client, family):
    sign_in_as(client, family.users["household_member"])
    page = client.get("/offline").text
    assert "Parent Pat" not in page and "Family Test" not in page and "tel:112" in page
    assert "csrf" not in page


def test_quick_exit_is_a_plain_link_on_every_page(client, family):
    for url in ("/sign-in", "/install", "/offline"):
        page = client.get(url).text
        assert 'id="quick-exit" href="https://' in page and 'rel="noreferrer"' in page


@pytest.mark.parametrize("code", [400, 403, 404, 405, 413, 429, 500])
def test_error_pages_are_friendly_and_in_the_persons_language(_schema, code):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom/<int:code>")
    def boom(code):
        abort(code)
    boom.kring_policy = "public"
    response = app.test_client().get(f"/boom/{code}", headers={"Accept-Language": "en"})
    assert response.status_code == code
    assert "<h1>" in response.text and "Go to the start" in response.text


def test_a_crash_shows_a_friendly_page_without_internals(_schema):
    app = make_app(PROPAGATE_EXCEPTIONS=False, TESTING=False)

    @app.route("/crash")
    def crash():
        raise RuntimeError("secret internal detail in /srv/kring/db.py")
    response = app.test_client().get("/crash", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "secret internal detail" not in response.text and "Traceback" not in response.text


def test_install_guide_covers_android_and_iphone(client):
    page = client.get("/install", headers={"Accept-Language": "en"}).text
    assert "Android" in page and "iPhone" in page and "Add to Home Screen" in page
