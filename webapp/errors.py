"""Error pages in the person's language; internals are logged, never shown."""
from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

# Fields never echoed back into a page, even to the person who typed them.
_SECRET_FIELDS = {"csrf_token", "password", "new_password", "confirm_password", "current_password"}


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if request.accept_mimetypes.best == "application/json":
            # The outbox sending an entry kept on the phone with a token of an earlier session: it asks for a
            # fresh token (shell.csrf_token) and sends it again; the entry stays on the phone meanwhile.
            return jsonify(error="csrf"), 400
        # Usually a form left open across a sign-out or a restart. Offer to send it again with a
        # fresh token, carrying what was typed, so nothing is lost.
        kept = [(k, v) for k, v in request.form.items(multi=True) if k not in _SECRET_FIELDS]
        return render_template("errors/csrf.html", kept=kept, action=request.path), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code not in (400, 403, 404, 405, 413, 429):
            code = 500
        return render_template("errors/error.html", code=code), code

    @app.errorhandler(InternalServerError)
    def internal_error(error):
        app.logger.error("unhandled error on %s %s", request.method, request.path,
                         exc_info=getattr(error, "original_exception", None))
        return render_template("errors/error.html", code=500), 500
