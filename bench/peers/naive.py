"""What a typical developer writes: Flask + flask-babel, gettext and jsonify per request.

Same endpoints, same catalogs and registry as the service; the language comes from
``?lang=`` or Werkzeug's ``best_match``, every text is translated on every request,
and ``make_conditional`` answers ``If-None-Match``.
"""

import os
import tomllib
from pathlib import Path

from flask import Flask, abort, jsonify, request
from flask_babel import Babel, get_locale, npgettext, pgettext

LOCALES = Path(os.environ["NAIVE_LOCALES"]).resolve()
REGISTRY = tomllib.loads(Path(os.environ["NAIVE_REGISTRY"]).read_text(encoding="utf-8"))
ENTRIES = {e["code"]: e for e in REGISTRY["errors"]}
SUPPORTED = sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES").is_dir())
DEFAULTS = {"minutes": 10, "seconds": 60, "max_size": "100MB"}

app = Flask(__name__)
app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(LOCALES)


def select_locale():
    lang = (request.args.get("lang") or "").replace("-", "_")
    if lang in SUPPORTED:
        return lang
    return request.accept_languages.best_match(SUPPORTED) or "en"


Babel(app, locale_selector=select_locale)


def localized(e):
    def text(field):
        msgid = e[field]
        if "{minutes}" in msgid or "{seconds}" in msgid:
            n = DEFAULTS["minutes" if "{minutes}" in msgid else "seconds"]
            return npgettext(f"{e['code']}.{field}", msgid, msgid, n).format(**DEFAULTS)
        return pgettext(f"{e['code']}.{field}", msgid).format(**DEFAULTS)

    return {
        "code": int(e["code"]),
        "lang": str(get_locale()).replace("_", "-"),
        "category": {"id": e["category"], "title": pgettext(f"category.{e['category']}",
                                                            REGISTRY["categories"][e["category"]])},
        "meaning": text("meaning"),
        "resolution": text("resolution"),
        "help_url": e.get("help_url"),
        "http_status": e["http_status"],
        "retryable": e["retryable"],
    }  # fmt: skip


@app.get("/errors/<code>")
def single(code):
    e = ENTRIES.get(code) or abort(404)
    response = jsonify(localized(e))
    response.add_etag()
    return response.make_conditional(request)


@app.get("/errors")
def bundle():
    response = jsonify({"lang": str(get_locale()), "errors": [localized(e) for e in ENTRIES.values()]})
    response.add_etag()
    return response.make_conditional(request)
