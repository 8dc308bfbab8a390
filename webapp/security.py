"""Security headers on every response, and the cache policy for pages with personal data."""
from flask import Flask, Response, request

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def init_app(app: Flask) -> None:
    @app.after_request
    def set_headers(response: Response) -> Response:
        h = response.headers
        h["Content-Security-Policy"] = CSP
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "no-referrer"
        h["X-Frame-Options"] = "DENY"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        h["X-Robots-Tag"] = "noindex, nofollow"  # nothing of Kring belongs in a search engine
        h["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=(), payment=()"
        if app.config["HTTPS"] or request.is_secure:
            h["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        if request.endpoint != "static" and "Cache-Control" not in h:
            # Pages carry personal data: never kept by a shared cache, a phone's disk or the back button.
            h["Cache-Control"] = "no-store"
        return response
