"""Kring: the app factory. The only place where configuration, extensions and blueprints meet."""
import os
from pathlib import Path

from babel.lists import format_list
from flask import Flask, g
from flask_babel import get_locale

from webapp import config as kring_config
from webapp.extensions import babel, csrf, db, limiter, login, migrate
from webapp.notify import push


def create_app(overrides: dict | None = None) -> Flask:
    instance = Path(os.environ.get("KRING_INSTANCE", Path.cwd() / "instance")).resolve()
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(kring_config.load(instance))
    push.ensure_key(instance)  # the Web Push key pair, made on first run
    app.config.update(overrides or {})
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", kring_config.engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))

    if app.config["TRUST_PROXY"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    _init_extensions(app)
    _register_blueprints(app)
    _connect_hooks(app)

    from webapp import child_lock, compression, errors, security, static_files
    compression.init_app(app)
    security.init_app(app)
    static_files.init_app(app)
    errors.init_app(app)
    child_lock.init_app(app)
    _init_templates(app)

    from webapp import cli
    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from webapp.auth.services import load_user
    from webapp.database import set_up_sqlite_connections
    from webapp.i18n import RequestDomain, install_page_gettext, select_locale
    from webapp import rate_limits  # noqa: F401  (registers the kring-db:// store before the limiter opens it)

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            set_up_sqlite_connections(engine)  # SQLite: foreign keys as on PostgreSQL, and write-ahead
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(Path(__file__).parent.parent / "translations"))
    babel.domain_instance = RequestDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    install_page_gettext(app)
    limiter.init_app(app)

    login.init_app(app)
    login.login_view = "auth.sign_in"
    login.login_message = None  # the sign-in page explains itself
    login.session_protection = "basic"
    login.user_loader(lambda user_id: load_user(db.session, user_id))


def _register_blueprints(app: Flask) -> None:
    from webapp.auth.views import bp as auth_bp
    from webapp.auth.recovery_views import bp as recovery_bp
    from webapp.households.views import bp as households_bp
    from webapp.invitations.views import bp as invitations_bp
    from webapp.ownership.views import bp as ownership_bp
    from webapp.resilience_calendar.views import bp as calendar_bp
    from webapp.safety_log.views import bp as safety_log_bp
    from webapp.shell.views import bp as shell_bp
    from webapp.signals.views import bp as signals_bp
    from webapp.safety_plan.views import bp as safety_plan_bp
    from webapp.safety_scales.views import bp as safety_scales_bp
    from webapp.words_pictures.views import bp as words_pictures_bp
    from webapp.plain_language import bp as plain_language_bp
    from webapp.meetings.views import bp as meetings_bp
    from webapp.professionals.views import bp as professionals_bp
    from webapp.health.views import bp as health_bp
    from webapp.first_steps.views import bp as first_steps_bp
    from webapp.children.views import bp as children_bp
    from webapp.safety_circle.views import bp as safety_circle_bp
    from webapp.trajectory.views import bp as trajectory_bp
    from webapp.genogram.views import bp as genogram_bp
    from webapp.drills.views import bp as drills_bp
    from webapp.three_houses.views import bp as three_houses_bp
    from webapp.authz import public

    for bp in (shell_bp, auth_bp, households_bp, invitations_bp, safety_log_bp, calendar_bp, ownership_bp,
               signals_bp, safety_scales_bp, safety_plan_bp, words_pictures_bp):
        app.register_blueprint(bp)
    app.register_blueprint(recovery_bp)
    app.register_blueprint(plain_language_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(professionals_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(first_steps_bp)
    app.register_blueprint(children_bp)
    app.register_blueprint(safety_circle_bp)
    app.register_blueprint(trajectory_bp)
    app.register_blueprint(genogram_bp)
    app.register_blueprint(drills_bp)
    app.register_blueprint(three_houses_bp)
    # Flask's own static route is public too; declared here so the route test sees a policy.
    app.view_functions["static"] = public(app.view_functions["static"])


def _connect_hooks(app: Flask) -> None:
    """Each capability takes along its own records when the ground floor announces an event (webapp/hooks.py), and
    the professionals capability registers the rule that admits a professional to a household (webapp/authz.py)."""
    from webapp.authz import register_admission
    from webapp.professionals.access import ADMISSION as professionals_admission
    from webapp.meetings.services import connect_hooks as meetings_hooks
    from webapp.safety_plan.services import connect_hooks as safety_plan_hooks
    from webapp.signals.services import connect_hooks as signals_hooks
    from webapp.three_houses.services import connect_hooks as three_houses_hooks
    from webapp.words_pictures.services import connect_hooks as words_pictures_hooks

    for connect in (meetings_hooks, safety_plan_hooks, signals_hooks, words_pictures_hooks, three_houses_hooks):
        connect()
    register_admission(app, professionals_admission)


def _init_templates(app: Flask) -> None:
    from webapp import authz, i18n, urls
    from webapp.pictograms import picto, picto_symbol, picto_use
    from webapp.safety_circle.labels import RING_NAMES

    app.jinja_env.filters["role_label"] = lambda role: i18n.ROLE_LABELS[str(role)]
    app.jinja_env.filters["ring_name"] = lambda ring: RING_NAMES[str(ring)]
    app.jinja_env.filters["picto"] = picto
    app.jinja_env.globals.update(picto_symbol=picto_symbol, picto_use=picto_use)
    app.jinja_env.filters["format_list"] = lambda items: format_list(list(items), locale=str(get_locale()))
    urls.install(app)  # the templates' url_for, each link built once per process

    @app.context_processor
    def inject():
        locale = str(get_locale())
        return {
            "locale": locale,
            "text_direction": i18n.text_direction(locale),
            "language_names": i18n.LANGUAGE_NAMES,
            "role_labels": i18n.ROLE_LABELS,
            "phase_labels": i18n.PHASE_LABELS,
            "may": authz.may,
            "nav_membership": authz.nav_membership,
            "household": g.get("household"),
            # The person is hidden from signals in this page's household: no trace of a signal may show.
            "signals_hidden": g.get("membership") is not None and g.membership.signals_hidden,
        }
