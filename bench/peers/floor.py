"""The framework floor: a minimal Flask app returning a constant body of the same size.

``FLOOR_SINGLE`` and ``FLOOR_BUNDLE`` name files whose bytes it returns for
``/errors/<code>`` and ``/errors`` (the benchmark points them at the service's own
bodies, so every peer sends the same number of bytes).
"""

import os
from pathlib import Path

from flask import Flask, Response

SINGLE = Path(os.environ["FLOOR_SINGLE"]).read_bytes()
BUNDLE = Path(os.environ["FLOOR_BUNDLE"]).read_bytes()

app = Flask(__name__)


@app.get("/errors/<code>")
def single(code):
    return Response(SINGLE, mimetype="application/json")


@app.get("/errors")
def bundle():
    return Response(BUNDLE, mimetype="application/json")
