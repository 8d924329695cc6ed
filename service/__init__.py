"""errmsg: localized error-code meanings and resolutions, from gettext catalogs.

The layout follows the data: :mod:`.registry` (``errors.toml``) → :mod:`.translators.extract`
(``pybabel extract``) → :mod:`.catalogs` (compiled ``.mo``) → :mod:`.negotiation` →
:mod:`.lookup` (every answer rendered at start-up) → :mod:`.http` (blueprint,
problems, fast path) → :func:`create_app`. Beside the service: the translators' tools
(:mod:`.translators`, never imported at run time) and what publishes the table (:mod:`.publish`).
"""

from __future__ import annotations

import click
from flask import Flask, Response
from flask_babel import Babel

from .catalogs import CatalogError
from .config import ConfigError, Settings
from .lookup import LocalizedError, UnknownCode, lookup
from .registry import RegistryError

__all__ = ["LocalizedError", "Settings", "UnknownCode", "create_app", "lookup"]


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app; raises on a broken registry, catalog or setting before serving
    anything (under ``flask --app service``, as one line: :class:`.cli.StartUpFailed`)."""
    from . import cli
    from .http import admin, api, pages, preflight, problems
    from .http.fastpath import FastPath
    from .http.observability import Metrics, Observability
    from .http.reload import CatalogReloader, ReloadBroadcast, SwapGate, WatchCatalogs
    from .http.representations import COMPRESSED
    from .http.state import EXTENSION_KEY, HttpState, StateHolder, babel_locale_selector

    try:
        settings = settings or Settings.from_env()
        holder = StateHolder(HttpState.build(settings))
    except (CatalogError, ConfigError, RegistryError) as exc:
        if click.get_current_context(silent=True) is not None:  # `flask --app service …`
            raise cli.StartUpFailed(str(exc)) from None
        raise
    app = Flask(__name__)
    # Werkzeug answers `/errors//40112` with a 308 HTML page whose Location is built from
    # the Host header; an address with an empty segment is simply not found here.
    app.url_map.merge_slashes = False
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(settings.locales_dir)
    app.config["BABEL_DEFAULT_LOCALE"] = settings.default_locale
    app.extensions[EXTENSION_KEY] = holder
    Babel(app, locale_selector=babel_locale_selector)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.after_request(_nosniff)
    problems.init_app(app)
    preflight.init_app(app)
    cli.init_app(app)
    reloader = CatalogReloader(app, holder)
    app.extensions[admin.RELOADER_KEY] = reloader
    gate = None
    if settings.reload_dir is not None:
        app.wsgi_app = gate = SwapGate(app.wsgi_app)  # type: ignore[method-assign]
        app.extensions[admin.BROADCAST_KEY] = ReloadBroadcast(reloader, settings.reload_dir, gate)
        COMPRESSED.folder = settings.reload_dir / "compressed"
    if settings.reload_token:
        app.register_blueprint(admin.bp)
    if settings.fastpath:
        app.wsgi_app = FastPath(app.wsgi_app, holder)  # type: ignore[method-assign]
    if settings.watch_interval is not None:
        app.wsgi_app = WatchCatalogs(app.wsgi_app, reloader, settings.watch_interval)  # type: ignore[method-assign]
    metrics = Metrics(holder) if settings.metrics else None
    app.extensions[api.METRICS_KEY] = metrics
    app.wsgi_app = Observability(app.wsgi_app, metrics, settings.access_log)  # type: ignore[method-assign]
    return app


def _nosniff(response: Response) -> Response:
    """Every response, static files included, forbids MIME sniffing."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response
