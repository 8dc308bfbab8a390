"""/health for monitoring, the worker's state for the signal pages, and the operator's e-mail when the worker
is silent, sent by the web side itself (the worker, which normally sends mail, is the thing that is down)."""
import hmac
import logging
import threading
from datetime import timedelta

from flask import Blueprint, current_app, g, jsonify, request

from sqlalchemy.exc import SQLAlchemyError

from webapp.auth.models import utcnow
from webapp.authz import public
from webapp.extensions import db
from webapp.health import services
from webapp.notify import sms
from webapp.notify.messages import Outgoing, email, text
from webapp.notify.sender import Sender
from webapp.queue import huey

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)
RETRY_FAILED_MAIL = timedelta(minutes=5)


def _token_ok() -> bool:
    token = current_app.config["HEALTH_TOKEN"]
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


@bp.route("/health")
@public
def health():
    report = services.health(db.session, utcnow(), current_app.config["WORKER_SILENT_SECONDS"], huey)
    body = report.details() if _token_ok() else {"status": report.details()["status"]}
    response = jsonify(body)
    response.status_code = 200 if report.alerts_can_go_out else 503
    return response


def worker_state() -> services.WorkerState:
    """Read once per request, for every template and hook that asks."""
    if "worker_state" not in g:
        g.worker_state = services.worker_state(db.session, utcnow(), current_app.config["WORKER_SILENT_SECONDS"])
    return g.worker_state


@bp.app_context_processor
def inject_worker_state():
    # Lazy: only the pages that warn (raising a signal, a signal's page, the alert plan) read the heartbeat.
    return {"worker_silent": lambda: worker_state().silent}


@bp.after_app_request
def tell_operator_when_silent(response):
    """Any request may find the worker silent for long enough: the operator hears even when nobody raises a
    signal and no monitoring is set up. One small query; the claim and the mail run in a thread, after the
    request, so nobody waits for a mail server."""
    config = current_app.config
    if not (_mail_to_operator(config) or _text_to_operator(config)) or request.endpoint == "static":
        return response
    try:
        state = worker_state()
    except SQLAlchemyError:  # the database is down: the page already says so; /health reports it
        return response
    if state.lag_seconds is not None and state.lag_seconds < config["OPERATOR_ALERT_SECONDS"]:
        return response
    threading.Thread(target=_notify_operator, args=(current_app._get_current_object(), state),
                     daemon=True, name="kring-operator-mail").start()
    return response


def _mail_to_operator(config) -> bool:
    return bool(config["OPERATOR_EMAIL"] and config["SMTP_HOST"])


def _text_to_operator(config) -> bool:
    return bool(config["OPERATOR_PHONE"]) and sms.enabled(config)


def _notify_operator(app, state: services.WorkerState) -> None:
    with app.app_context():
        now = utcnow()
        claimed = services.claim_operator_notice(db.session, services.WORKER_SILENT, now)
        db.session.commit()
        if not claimed:
            db.session.remove()
            return
        told = [tell(app.config, state) for tell, wanted in ((_mail_operator, _mail_to_operator),
                                                              (_text_operator, _text_to_operator))
                if wanted(app.config)]
        if not any(told):  # every way failed: let a later request try again soon, not in an hour
            services.release_operator_notice(db.session, services.WORKER_SILENT, now, RETRY_FAILED_MAIL)
            db.session.commit()
        db.session.remove()


def _mail_operator(config, state: services.WorkerState) -> bool:
    subject, body = services.operator_mail_text(state, config["BASE_URL"])
    return _tell_operator(config, email(config["OPERATOR_EMAIL"], subject, body, urgency="high"), "e-mailed")


def _text_operator(config, state: services.WorkerState) -> bool:
    message = text(config["OPERATOR_PHONE"], services.operator_sms_text(state, config["BASE_URL"]))
    return _tell_operator(config, message, "texted")


def _tell_operator(config, message: Outgoing, how: str) -> bool:
    outcome = Sender(config).send(message)
    if outcome.error:
        log.error("operator not %s that the worker is silent: %s", how, outcome.error)
    return not outcome.error
