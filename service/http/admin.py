"""``POST /admin/reload``: swap in the catalogs on disk, guarded by a bearer token.

Registered only when ``ERRMSG_RELOAD_TOKEN`` is set. The worker that answers copies,
validates and serves the files on disk as one set; every other worker of the server then
serves that same set (:class:`~.reload.ReloadBroadcast`), and the answer says how many do.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _

from .problems import Problem
from .representations import dump_json
from .state import current_state

bp = Blueprint("admin", __name__, url_prefix="/admin")

RELOADER_KEY = "errmsg.reloader"
BROADCAST_KEY = "errmsg.reload-broadcast"


@bp.post("/reload")
def reload_catalogs() -> Response:
    token = current_state().settings.reload_token
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        problem = Problem("unauthorized", _("A valid reload token is required."))
        problem.headers.append(("WWW-Authenticate", 'Bearer realm="errmsg"'))
        raise problem
    broadcast = current_app.extensions.get(BROADCAST_KEY)
    if broadcast is not None:
        error, reloaded, total = broadcast.publish(current_state().settings.workers)
    else:
        error, reloaded, total = current_app.extensions[RELOADER_KEY].reload(force=True), 1, 1
    if error:
        detail = _("The catalogs were not reloaded; the previous ones are still served.")
        raise Problem("reload-failed", detail, error=error)
    body = {
        "status": "reloaded",
        "locales": current_state().service.table.tags,
        "workers": {"reloaded": reloaded, "total": total},
    }
    return Response(dump_json(body), 200, content_type="application/json")
